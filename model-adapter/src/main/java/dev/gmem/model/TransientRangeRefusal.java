package dev.gmem.model;

import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;

import java.util.Set;

/**
 * A conversion to private that succeeds, or is refused transiently, in a sequential history: v13's to-private conversion fails
 * with EAGAIN while a vCPU's in-flight guest fault holds a folio reference
 * ({@code kvm_gmem_is_safe_for_conversion() returns -EAGAIN}, gmem_convert_fault_race.c @3c3006fb1feb in
 * googleprodkernel/linux-cc), with {@code error_offset} page-aligned inside the range and nothing changed.
 * The kit cannot see such a fault from outside, so the model allows the refusal at any page of the range;
 * a retry is expected to succeed, and {@link World#transientRefusals} bounds how often in a row.
 * (Concurrent histories get the precise rule instead, at the pages a guest access in flight touches:
 * {@link RacingRules}.)
 *
 * @param outcome      the deterministic answer (the success), which is also the model's example
 * @param start        the range's first byte, as the conversion call names it
 * @param size         the range's size
 * @param hypercall    for a guest request, the hypercall exit the guest sees when the host's call is
 *                     refused (hostResult -EAGAIN); null for the host's own conversion call
 * @param refused      the world after a transient refusal: unchanged but for the count
 */
record TransientRangeRefusal(ExactExpectation outcome, long start, long size, Observation.HypercallExit hypercall,
                        World refused) implements Expectation {

    @Override
    public boolean allows(Observation observed) {
        return outcome.allows(observed) || isTransient(observed);
    }

    @Override
    public boolean isTransient(Observation observed) {
        if (hypercall != null) return hypercall.equals(observed);
        return observed instanceof Observation.Refused r && r.errno() == Errno.EAGAIN
                && (r.errorOffset() & (GuestLayout.PAGE_SIZE - 1)) == 0
                && Long.compareUnsigned(r.errorOffset(), start) >= 0
                && Long.compareUnsigned(r.errorOffset() - start, size) < 0;
    }

    @Override
    public ModelState next(Observation observed) {
        if (outcome.allows(observed)) return outcome.next(observed);
        if (!isTransient(observed)) throw Disallowed.of(this, observed);
        return refused;
    }

    @Override
    public Observation example() {
        return outcome.example();
    }

    @Override
    public String describe() {
        String refusal = hypercall != null ? Describe.of(hypercall)
                : "Refused[EAGAIN, errorOffset=a page in [0x" + Long.toHexString(start) + ", 0x"
                        + Long.toHexString(start + size) + ")] (transient: a vCPU fault in flight)";
        return "either " + outcome.describe() + " or " + refusal;
    }

    @Override
    public Set<ModelEvent> events() {
        return outcome.events();
    }
}
