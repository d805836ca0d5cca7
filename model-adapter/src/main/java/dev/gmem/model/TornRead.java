package dev.gmem.model;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

import java.util.List;
import java.util.Set;

/**
 * A host read racing writes of the same bytes ({@link RacingRules}): what {@code base} allows, or a
 * read in which each byte holds what the model holds there or what a write in flight over it puts
 * there (a copy of plain memory is not atomic); the state after is the one a read leaves.
 */
record TornRead(ExactExpectation base, Operation.HostRead read, List<InFlightWrite> writes) implements Expectation {

    TornRead {
        writes = List.copyOf(writes);
    }

    @Override
    public boolean allows(Observation observed) {
        if (base.allows(observed)) return true;
        if (!(observed instanceof Observation.Read seen) || !(base.example() instanceof Observation.Read held)) return false;
        if (seen.bytes().length() != read.length()) return false;
        byte[] now = held.bytes().toArray();
        byte[] got = seen.bytes().toArray();
        for (int i = 0; i < got.length; i++) {
            if (got[i] == now[i]) continue;
            long at = read.offset() + i;
            boolean written = false;
            for (InFlightWrite w : writes) {
                if (w.covers(at) && w.byteAt(at) == (got[i] & 0xff)) written = true;
            }
            if (!written) return false;
        }
        return true;
    }

    @Override
    public ModelState next(Observation observed) {
        if (!allows(observed)) throw Disallowed.of(this, observed);
        return base.after();
    }

    @Override
    public Observation example() {
        return base.example();
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(base.describe()).append(", or each byte as written by ");
        for (int i = 0; i < writes.size(); i++) b.append(i == 0 ? "" : " or ").append(writes.get(i).describe());
        return b.append(" in flight").toString();
    }

    @Override
    public Set<ModelEvent> events() {
        return base.events();
    }

    /** Reads up to this long are compared byte by byte (concurrent cases read a word or a page). */
    static final long MAX_BYTES = 1 << 20;
}
