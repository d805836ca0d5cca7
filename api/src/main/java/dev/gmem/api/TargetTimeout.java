package dev.gmem.api;

/**
 * A target's call did not come back within its watchdog's time (a hung syscall, a guest that never
 * exits): the clause is reported as timed out, never as a failure of the contract, and never hangs the run.
 */
public final class TargetTimeout extends RuntimeException {
    public TargetTimeout(String message) {
        super(message);
    }
}
