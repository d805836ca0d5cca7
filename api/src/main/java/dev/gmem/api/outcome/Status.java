package dev.gmem.api.outcome;

/** How one clause came out on one target and edition. */
public enum Status {
    PASSED, FAILED, SKIPPED,
    /** An optional clause did not hold: reported with its failure, it does not fail the run. */
    OPTIONAL_FAILED,
    /** The target itself broke (its {@code Session.apply} threw): no verdict on the clause; the run exits 3. */
    TARGET_ERROR
}
