package dev.gmem.model;

import dev.gmem.api.Observation;

import java.util.Set;

/**
 * What the contract allows one operation to answer in one state: usually one observation, a
 * set where the contract leaves a choice (content an edition does not promise).
 */
public interface Expectation {

    /** Whether the contract allows {@code observed}. */
    boolean allows(Observation observed);

    /** The state after {@code observed}, which must be allowed. */
    ModelState next(Observation observed);

    /** The state after {@code observed} if the contract allows it, else null: {@link #allows} and {@link #next} in one. */
    default ModelState nextIfAllowed(Observation observed) {
        return allows(observed) ? next(observed) : null;
    }

    /** One allowed observation: what the model answers when it is the target. */
    Observation example();

    /** The allowed set in words, for failure messages, e.g. {@code Refused[EAGAIN, 0x2000]}. */
    String describe();

    /** What this step exercised, for statistics and clause coverage. */
    Set<ModelEvent> events();

    /**
     * Whether {@code observed} is an allowed answer that a retry of the same operation should replace: a
     * transient refusal (v13: a conversion to private refused while a vCPU fault holds a folio reference).
     * Retrying is bounded by the model itself: after a few such answers in a row it stops allowing them.
     */
    default boolean isTransient(Observation observed) {
        return false;
    }
}
