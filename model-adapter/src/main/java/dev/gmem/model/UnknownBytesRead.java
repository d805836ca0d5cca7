package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.outcome.Answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A host read of a range holding content the contract does not promise: any bytes are allowed
 * there, the known bytes must match, and the state after learns what was read.
 */
final class UnknownBytesRead implements Expectation {
    private final PagedBytes content;
    private final long offset;
    private final long length;
    private final Function<PagedBytes, ModelState> learn;
    private final Set<ModelEvent> events;

    UnknownBytesRead(PagedBytes content, long offset, long length, Function<PagedBytes, ModelState> learn, Set<ModelEvent> events) {
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
        boolean[] ok = {true};
        for (Bytes.Run r : read.bytes().runs()) {
            int v = r.value() & 0xff;
            content.forEach(pos, pos + r.length(), (lo, hi, known) -> {
                ok[0] = known == GmemFile.UNKNOWN || known == v;
                return ok[0];
            });
            if (!ok[0]) return false;
            pos += r.length();
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
        content.forEach(offset, offset + length, (lo, hi, v) -> {
            b.append(hi - lo, (byte) (v == GmemFile.UNKNOWN ? 0 : v));
            return true;
        });
        return new Observation.Read(b.build());
    }

    /** The read's bytes run by run: the known byte, or any byte (no value) where the model does not promise one. */
    List<Answer.Choice> choices() {
        List<Answer.Choice> out = new ArrayList<>();
        content.forEach(offset, offset + length, (lo, hi, v) -> {
            out.add(new Answer.Choice(hi - lo, v == GmemFile.UNKNOWN ? List.of() : List.of(v & 0xff)));
            return true;
        });
        return out;
    }

    @Override
    public String describe() {
        long[] firstAndLast = {-1, -1};
        content.forEach(offset, offset + length, (lo, hi, v) -> {
            if (v != GmemFile.UNKNOWN) return true;
            if (firstAndLast[0] < 0) firstAndLast[0] = lo;
            firstAndLast[1] = hi - 1;
            return true;
        });
        long first = firstAndLast[0];
        long last = firstAndLast[1];
        return "Read of " + length + " bytes, any content on pages " + first / GuestLayout.PAGE_SIZE + ".."
                + last / GuestLayout.PAGE_SIZE + ", the rest as in " + Describe.of(example());
    }

    @Override
    public Set<ModelEvent> events() {
        return events;
    }
}
