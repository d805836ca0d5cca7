package dev.gmem.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The run's results as they are decided, one JSON line per {@link ClauseOutcome}, appended and
 * flushed at once, so that a crash or a kill never loses what was already found.
 */
public final class OutcomeLog {
    private OutcomeLog() {
    }

    /** Appends one outcome to {@code file} (created with its folders if missing). */
    public static void append(Path file, ClauseOutcome outcome) throws IOException {
        throw new UnsupportedOperationException("filled in by the reports work");
    }

    /** Reads every outcome back, in order. */
    public static List<ClauseOutcome> read(Path file) throws IOException {
        throw new UnsupportedOperationException("filled in by the reports work");
    }
}
