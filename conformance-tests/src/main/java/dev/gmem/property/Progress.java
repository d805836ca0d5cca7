package dev.gmem.property;

/**
 * What the property engine is doing right now, for the suite's heartbeat line: plain volatile
 * counters the engine sets as it goes (cheap on the hot path) and another thread reads.
 */
public final class Progress {
    /** What a property is at. */
    public enum Phase { IDLE, TESTING, SHRINKING }

    private static volatile Phase phase = Phase.IDLE;
    private static volatile int cases;
    private static volatile int shrinkAttempts;
    private static volatile int shortest;

    private Progress() {
    }

    static void testing(int casesTried) {
        phase = Phase.TESTING;
        cases = casesTried;
    }

    static void shrinking(int attempts, int shortestSteps) {
        phase = Phase.SHRINKING;
        shrinkAttempts = attempts;
        shortest = shortestSteps;
    }

    static void idle() {
        phase = Phase.IDLE;
    }

    /** e.g. {@code 340 cases tried} or {@code shrinking: 120 attempts, shortest 14 operations}; empty when idle. */
    public static String describe() {
        return switch (phase) {
            case IDLE -> "";
            case TESTING -> cases + " cases tried";
            case SHRINKING -> "shrinking: " + shrinkAttempts + " attempts, shortest " + shortest + " operations";
        };
    }
}
