package dev.gmem.model;

import dev.gmem.api.Observation;

import java.util.List;
import java.util.Set;

/**
 * A guest load racing host writes of its bytes ({@link RacingRules}): what {@code base} allows, or
 * a value in which each byte holds what the model holds there or what a host write in flight over
 * it puts there (the host's copy is not atomic, the guest's 8-byte load is); the state after is
 * the one a load leaves.
 *
 * @param offset the guest_memfd offset of the load's first byte
 */
record TornGuestLoad(ExactExpectation base, long offset, List<InFlightWrite> writes) implements Expectation {

    TornGuestLoad {
        writes = List.copyOf(writes);
    }

    @Override
    public boolean allows(Observation observed) {
        if (base.allows(observed)) return true;
        if (!(observed instanceof Observation.GuestValue seen) || !(base.observation() instanceof Observation.GuestValue held)) {
            return false;
        }
        for (int i = 0; i < Long.BYTES; i++) {
            int got = (int) (seen.value() >>> (8 * i)) & 0xff;
            if (got == ((int) (held.value() >>> (8 * i)) & 0xff)) continue;
            boolean written = false;
            for (InFlightWrite w : writes) if (w.covers(offset + i) && w.byteAt(offset + i) == got) written = true;
            if (!written) return false;
        }
        return true;
    }

    /** The bits a torn load still promises: the bytes no write in flight covers. */
    long mask() {
        long mask = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            boolean covered = false;
            for (InFlightWrite w : writes) covered |= w.covers(offset + i);
            if (!covered) mask |= 0xffL << (8 * i);
        }
        return mask;
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
}
