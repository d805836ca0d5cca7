package dev.gmem.model;

import dev.gmem.api.Observation;

import java.util.Set;

/** The contract allows exactly one observation, and knows the state after it. */
record ExactExpectation(Observation observation, ModelState after, Set<ModelEvent> events) implements Expectation {

    @Override
    public boolean allows(Observation observed) {
        return observation == observed || observation.equals(observed);
    }

    @Override
    public ModelState next(Observation observed) {
        // the model target answers with this very observation: no field-by-field comparison then
        if (observation != observed && !observation.equals(observed)) throw Disallowed.of(this, observed);
        return after;
    }

    @Override
    public ModelState nextIfAllowed(Observation observed) {
        return allows(observed) ? after : null;
    }

    @Override
    public Observation example() {
        return observation;
    }

    @Override
    public String describe() {
        return Describe.of(observation);
    }
}
