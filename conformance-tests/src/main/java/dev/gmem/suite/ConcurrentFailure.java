package dev.gmem.suite;

import dev.gmem.api.outcome.RaceCase;
import dev.gmem.property.PropertyFailure;

/** A RACE clause does not hold on a target: the concurrent case that shows it ({@code shrunk}: by the check itself). */
public final class ConcurrentFailure extends PropertyFailure {
    private final RaceCase race;

    public ConcurrentFailure(String key, String message, RaceCase race, boolean shrunk) {
        super(key, message, shrunk);
        this.race = race;
    }

    public RaceCase race() {
        return race;
    }
}
