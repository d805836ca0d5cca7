package dev.gmem.model;

import dev.gmem.api.Observation;

import java.util.Set;
import java.util.function.LongFunction;

/**
 * A guest load of 8 bytes some of which the contract does not promise: the bits of {@code mask}
 * must equal {@code known}, the rest may be anything; the state after learns the value.
 */
record UnknownGuestValue(long known, long mask, LongFunction<ModelState> learn, Set<ModelEvent> events)
        implements Expectation {

    @Override
    public boolean allows(Observation observed) {
        return observed instanceof Observation.GuestValue v && (v.value() & mask) == (known & mask);
    }

    @Override
    public ModelState next(Observation observed) {
        if (!allows(observed)) throw Disallowed.of(this, observed);
        return learn.apply(((Observation.GuestValue) observed).value());
    }

    @Override
    public Observation example() {
        return new Observation.GuestValue(known & mask);
    }

    @Override
    public String describe() {
        return "GuestValue with bytes known as 0x" + Long.toHexString(known & mask) + " under mask 0x"
                + Long.toHexString(mask) + ", any other bytes";
    }
}
