package dev.gmem.api.outcome;

/**
 * Told what a run of the suite decides, as it decides it: every report format is one of these,
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.gmem.api.outcome.OutcomeListener}).
 * The suite calls them through {@link OutcomeListeners}, so a listener that throws is reported
 * once and never changes a verdict nor stops the other listeners.
 *
 * <p>Calls come in order from one thread: {@code runStarted} once, {@code itemDecided} once per
 * decided item (on the thread of the test that decided it, before that test ends), then
 * {@code runFinished} once unless the run was killed.
 */
public interface OutcomeListener {
    default void runStarted(RunPlan plan) {
    }

    default void itemDecided(ClauseOutcome outcome) {
    }

    default void runFinished(RunEnd end) {
    }
}
