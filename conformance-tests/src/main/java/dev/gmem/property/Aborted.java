package dev.gmem.property;

/**
 * The test case cannot be judged because the thing under test broke (not a counterexample): the
 * run stops, is not shrunk, and reports the reason as its own outcome.
 */
public final class Aborted extends RuntimeException {
    public Aborted(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
