package dev.gmem.ci.report;

import dev.gmem.api.outcome.Status;

/**
 * The one status vocabulary of every report (ci/README.md, "Statuses"): how each {@link Status}
 * is written in the JSON files ({@code outcomes.jsonl}, {@code summary.json}: the enum name), in
 * KCIDB ({@code kcidb.json}), in KTAP ({@code results.ktap}) and in the summaries a person reads.
 * A planned item the run never decided (an interrupted run) is {@link #MISSED}.
 */
final class StatusWords {
    /** An item of the plan with no outcome: KCIDB's MISS (KTAP writes it {@code not ok ... # TIMEOUT interrupted}). */
    static final String MISSED = "MISS";

    private StatusWords() {
    }

    /** {@code outcomes.jsonl} and {@code summary.json}: the enum constant, e.g. {@code PASSED}. */
    static String json(Status status) {
        return status.name();
    }

    /** KCIDB v5.3's test status. An optional clause that did not hold is a FAIL there too (never a false PASS). */
    static String kcidb(Status status) {
        return switch (status) {
            case PASSED -> "PASS";
            case FAILED, OPTIONAL_FAILED -> "FAIL";
            case SKIPPED -> "SKIP";
            // the target broke (an exception, not an answer): the kernel's status is unknown
            case TARGET_ERROR -> "ERROR";
            // started but stopped by the watchdog or the deadline: no verdict, as for a target error
            case TIMED_OUT -> "ERROR";
        };
    }

    /** The word of the summaries (summary.md, summary.txt, the behaviours of the HTML). */
    static String word(Status status) {
        return switch (status) {
            case PASSED -> "pass";
            case FAILED -> "FAIL";
            case SKIPPED -> "skip";
            case OPTIONAL_FAILED -> "optional fail";
            case TARGET_ERROR -> "TARGET ERROR";
            case TIMED_OUT -> "TIMEOUT";
        };
    }

    /** KTAP: {@code not ok} for a failure, a target error or a timeout, {@code ok} else (a skip adds {@code # SKIP reason}). */
    static boolean ktapOk(Status status) {
        return status != Status.FAILED && status != Status.TARGET_ERROR && status != Status.TIMED_OUT;
    }
}
