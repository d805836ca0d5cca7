package dev.gmem.api.outcome;

/** How one clause came out on one target and edition. */
public enum Status {
    PASSED, FAILED, SKIPPED
}
