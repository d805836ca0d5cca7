package dev.gmem.race;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/**
 * One operation of a concurrent history: which thread ran it (its {@code index}-th step), what it
 * answered, and when it was invoked and completed ({@link System#nanoTime}).
 */
public record Call(int thread, int index, Operation operation, Observation observation, long invoked, long completed) {

    /** Real-time order: this call completed before {@code other} was invoked. */
    public boolean precedes(Call other) {
        return completed < other.invoked;
    }

    /** Neither precedes the other: they ran at the same time. */
    public boolean overlaps(Call other) {
        return !precedes(other) && !other.precedes(this);
    }
}
