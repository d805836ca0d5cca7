package dev.gmem.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The facts of a run that are not clause outcomes (kernel release, seed, per-target facts), kept
 * in {@code run.json} beside {@code outcomes.jsonl} so that the report script can rebuild the
 * {@link RunReport} of a run, even of one that was killed.
 */
public final class RunFacts {
    private RunFacts() {
    }

    /** Writes (replaces) the facts file; call it when the run starts and again when facts grow. */
    public static void write(Path file, String kernelRelease, long seed, Map<String, List<String>> facts)
            throws IOException {
        throw new UnsupportedOperationException("filled in by the reports work");
    }

    /** The run in {@code results}: its facts file (if any) and every outcome logged so far. */
    public static RunReport read(ResultsFolder results) throws IOException {
        throw new UnsupportedOperationException("filled in by the reports work");
    }
}
