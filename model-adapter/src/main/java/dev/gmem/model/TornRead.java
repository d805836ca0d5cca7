package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.Observation;

import java.util.List;
import java.util.Set;

/**
 * A read racing writes of the same bytes ({@link RacingRules}): what {@code base} allows, or a read
 * in which each byte holds what the model holds there or what a write in flight over it puts there
 * (a copy of plain memory is not atomic). The read is a host read ({@code Read}) or a guest load
 * ({@code GuestValue}, little-endian); the state after is the one a read leaves.
 *
 * @param offset the guest_memfd offset of the read's first byte
 */
record TornRead(ExactExpectation base, long offset, List<InFlightWrite> writes) implements Expectation {

    TornRead {
        writes = List.copyOf(writes);
    }

    @Override
    public boolean allows(Observation observed) {
        if (base.allows(observed)) return true;
        byte[] seen = bytes(observed);
        byte[] held = bytes(base.observation());
        if (seen == null || held == null || seen.length != held.length || observed.getClass() != base.observation().getClass()) {
            return false;
        }
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] != held[i] && !written(offset + i, seen[i] & 0xff)) return false;
        }
        return true;
    }

    private boolean written(long pos, int value) {
        for (InFlightWrite w : writes) if (w.covers(pos) && w.byteAt(pos) == value) return true;
        return false;
    }

    /** Whether some write in flight covers byte {@code pos}. */
    boolean covered(long pos) {
        for (InFlightWrite w : writes) if (w.covers(pos)) return true;
        return false;
    }

    /** A read's bytes, a guest load's 8 bytes (little-endian), else null. */
    static byte[] bytes(Observation o) {
        if (o instanceof Observation.Read r) return r.bytes().toArray();
        if (o instanceof Observation.GuestValue v) return Bytes.ofLong(v.value()).toArray();
        return null;
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
