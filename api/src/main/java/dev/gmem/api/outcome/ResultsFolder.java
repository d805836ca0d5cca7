package dev.gmem.api.outcome;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder of one run, {@code ROOT/runs/<id>} (see {@link ResultsRoot}): everything the run writes
 * has its fixed name inside, and nothing of another run is ever there.
 */
public record ResultsFolder(Path dir) {
    public ResultsFolder {
        dir = dir.toAbsolutePath().normalize();
    }

    /**
     * The run a reader means by {@code path}: the folder itself when it holds a run ({@code run.json}
     * or {@code outcomes.jsonl}), else the newest run of the results root it is ({@code path/latest}).
     */
    public static ResultsFolder resolve(Path path) {
        ResultsFolder direct = new ResultsFolder(path);
        if (Files.exists(direct.runFacts()) || Files.exists(direct.outcomes())) return direct;
        return new ResultsRoot(path).latest().orElse(direct);
    }

    /** The newest run of the root {@code -Dgmem.results} names (see {@link ResultsRoot#fromSystem()}). */
    public static ResultsFolder fromSystem() {
        return resolve(ResultsRoot.fromSystem().dir());
    }

    /** The run's id: its folder's name. */
    public String runId() {
        return dir.getFileName().toString();
    }

    /** One JSON line per clause outcome, appended as each is decided. */
    public Path outcomes() {
        return dir.resolve("outcomes.jsonl");
    }

    /** The run's plan and how it ended (see {@link RunPlan}, {@link RunEnd}). */
    public Path runFacts() {
        return dir.resolve("run.json");
    }

    /** Allure's raw results (set {@code allure.results.directory} to it). */
    public Path allureResults() {
        return dir.resolve("allure-results");
    }

    /** The JUnit XML of the run (the console launcher's {@code --reports-dir}). */
    public Path junit() {
        return dir.resolve("junit");
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
