package dev.gmem.model;

import dev.gmem.api.Observation;

import java.util.Set;

/** The contract allows either of two answers, each with its own next state (nest them for more). */
record EitherExpectation(Expectation first, Expectation second) implements Expectation {

    @Override
    public boolean allows(Observation observed) {
        return first.allows(observed) || second.allows(observed);
    }

    @Override
    public ModelState next(Observation observed) {
        return first.allows(observed) ? first.next(observed) : second.next(observed);
    }

    @Override
    public Observation example() {
        return first.example();
    }

    @Override
    public String describe() {
        return "either " + first.describe() + " or " + second.describe();
    }

    @Override
    public Set<ModelEvent> events() {
        return Events.union(first.events(), second.events());
    }
}
