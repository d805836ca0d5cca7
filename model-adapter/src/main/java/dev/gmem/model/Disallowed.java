package dev.gmem.model;

import dev.gmem.api.Observation;

/** {@link Expectation#next} was given an observation the contract does not allow. */
final class Disallowed {
    private Disallowed() {
    }

    static IllegalArgumentException of(Expectation e, Observation observed) {
        return new IllegalArgumentException("observation " + observed + " is not allowed: expected " + e.describe());
    }
}
