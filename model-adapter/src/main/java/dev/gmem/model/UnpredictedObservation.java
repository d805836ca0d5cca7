package dev.gmem.model;

import dev.gmem.api.Observation;

import java.util.Set;
import java.util.function.Predicate;

/**
 * An answer the model does not predict beyond its shape (which NUMA node a page is on, which nodes exist):
 * any observation {@code allowed} accepts, leaving the state as it was. A clause check states the rest.
 */
record UnpredictedObservation(Predicate<Observation> allowed, Observation example, String describe, World state,
                              Set<ModelEvent> events) implements Expectation {

    @Override
    public boolean allows(Observation observed) {
        return allowed.test(observed);
    }

    @Override
    public ModelState next(Observation observed) {
        if (!allows(observed)) throw Disallowed.of(this, observed);
        return state;
    }
}
