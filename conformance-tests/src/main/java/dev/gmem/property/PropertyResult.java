package dev.gmem.property;

import java.util.List;
import java.util.Optional;

/**
 * How a property run came out.
 *
 * @param tries          test cases run
 * @param statistics     counts over every test case run, and per shrinker pass the runs tried and edits kept
 * @param reason         why it failed (the shrunk failure's message) or was skipped; empty when it passed
 * @param original       the first failing test case as found
 * @param shrunk         the smallest failing test case the shrinker found
 */
public record PropertyResult(
        Outcome outcome,
        long seed,
        int tries,
        Statistics statistics,
        String reason,
        Optional<Counterexample> original,
        Optional<Counterexample> shrunk) {

    public enum Outcome { PASSED, FAILED, SKIPPED, ABORTED }

    /** A failing test case: its choices and the failure it produces. */
    public record Counterexample(long[] choices, PropertyFailure failure) {
        public String message() {
            return failure.getMessage();
        }
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    public List<String> statisticsLines() {
        return statistics.lines();
    }
}
