package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;

import java.util.Set;
import java.util.function.Function;

/**
 * A host read of a range holding content the contract does not promise: any bytes are allowed
 * there, the known bytes must match, and the state after learns what was read.
 */
final class UnknownBytesRead implements Expectation {
    private final Runs content;
    private final long offset;
    private final long length;
    private final Function<Runs, ModelState> learn;
    private final Set<ModelEvent> events;

    UnknownBytesRead(Runs content, long offset, long length, Function<Runs, ModelState> learn, Set<ModelEvent> events) {
        this.content = content;
        this.offset = offset;
        this.length = length;
        this.learn = learn;
        this.events = events;
    }

    @Override
    public boolean allows(Observation observed) {
        if (!(observed instanceof Observation.Read read) || read.bytes().length() != length) return false;
        long pos = offset;
        for (Bytes.Run r : read.bytes().runs()) {
            long runEnd = pos + r.length();
            int v = r.value() & 0xff;
            for (int i = content.runAt(pos); i < content.count() && content.start(i) < runEnd; i++) {
                int known = content.value(i);
                if (known != GmemFile.UNKNOWN && known != v) return false;
            }
            pos = runEnd;
        }
        return true;
    }

    @Override
    public ModelState next(Observation observed) {
        if (!allows(observed)) throw Disallowed.of(this, observed);
        return learn.apply(content.set(offset, ((Observation.Read) observed).bytes()));
    }

    @Override
    public Observation example() {
        Bytes.Builder b = new Bytes.Builder();
        long end = offset + length;
        for (int i = content.runAt(offset); i < content.count() && content.start(i) < end; i++) {
            long lo = Math.max(offset, content.start(i));
            long hi = Math.min(end, content.endOf(i));
            int v = content.value(i);
            b.append(hi - lo, (byte) (v == GmemFile.UNKNOWN ? 0 : v));
        }
        return new Observation.Read(b.build());
    }

    @Override
    public String describe() {
        long end = offset + length;
        long first = content.first(offset, end, GmemFile.UNKNOWN);
        long last = first;
        for (int i = content.runAt(offset); i < content.count() && content.start(i) < end; i++) {
            if (content.value(i) == GmemFile.UNKNOWN) last = Math.min(end, content.endOf(i)) - 1;
        }
        return "Read of " + length + " bytes, any content on pages " + first / GuestLayout.PAGE_SIZE + ".."
                + last / GuestLayout.PAGE_SIZE + ", the rest " + example();
    }

    @Override
    public Set<ModelEvent> events() {
        return events;
    }
}
