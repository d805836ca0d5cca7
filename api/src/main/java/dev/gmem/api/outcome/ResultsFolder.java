package dev.gmem.api.outcome;

import java.nio.file.Files;
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
        String named = System.getProperty(PROPERTY, "");
        if (!named.isBlank()) return new ResultsFolder(Path.of(named));
        return new ResultsFolder(repositoryRoot(Path.of("").toAbsolutePath()).resolve("results"));
    }

    /** The nearest folder at or above {@code from} holding the parent pom (its modules run tests one level down). */
    static Path repositoryRoot(Path from) {
        for (Path p = from; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("ci")) && Files.isDirectory(p.resolve("api"))
                    && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return from;
    }

    /** One JSON line per clause outcome, appended as each is decided. */
    public Path outcomes() {
        return dir.resolve("outcomes.jsonl");
    }

    /** The run's facts (kernel release, seed, per-target facts). */
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
