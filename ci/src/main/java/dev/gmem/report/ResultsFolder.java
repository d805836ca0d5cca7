package dev.gmem.report;

import java.nio.file.Path;

/**
 * Where a run keeps its results: {@code -Dgmem.results=DIR}, else {@code results/} at the
 * repository root. Everything a run writes has its fixed name inside.
 */
public record ResultsFolder(Path dir) {
    public static final String PROPERTY = "gmem.results";

    public ResultsFolder {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The folder the system property names, else {@code results/} at the repository root. */
    public static ResultsFolder fromSystem() {
        throw new UnsupportedOperationException("filled in by the reports work");
    }

    /** One JSON line per clause outcome, see {@link OutcomeLog}. */
    public Path outcomes() {
        return dir.resolve("outcomes.jsonl");
    }

    /** The run's facts (kernel release, seed, per-target facts), see {@link RunFacts}. */
    public Path runFacts() {
        return dir.resolve("run.json");
    }

    /** Allure's raw results (set {@code allure.results.directory} to it). */
    public Path allureResults() {
        return dir.resolve("allure-results");
    }

    /** One C file per failed clause. */
    public Path reproducers() {
        return dir.resolve("reproducers");
    }

    /** The single-file HTML report. */
    public Path htmlReport() {
        return dir.resolve("report").resolve("index.html");
    }
}
