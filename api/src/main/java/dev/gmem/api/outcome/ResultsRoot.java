package dev.gmem.api.outcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where runs keep their results: {@code -Dgmem.results=DIR}, else {@code results/} at the repository
 * root. It holds one folder per run, {@code runs/<id>/}, and {@code latest}, a relative symlink to
 * the newest run's folder, moved when a run starts (so a killed run is the latest, and says so).
 * Earlier runs stay readable; nothing of one is ever shown as another's.
 */
public record ResultsRoot(Path dir) {
    public static final String PROPERTY = "gmem.results";
    static final String LATEST = "latest";
    static final String RUNS = "runs";

    public ResultsRoot {
        dir = dir.toAbsolutePath().normalize();
    }

    /** The root the system property names, else {@code results/} at the repository root. */
    public static ResultsRoot fromSystem() {
        String named = System.getProperty(PROPERTY, "");
        if (!named.isBlank()) return new ResultsRoot(Path.of(named));
        return new ResultsRoot(repositoryRoot(Path.of("").toAbsolutePath()).resolve("results"));
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

    public Path runs() {
        return dir.resolve(RUNS);
    }

    /** The lock file a writing run holds ({@link RunLock}). */
    public Path lockFile() {
        return dir.resolve(".lock");
    }

    /** Takes the root's lock, or says in one line who holds it. */
    public RunLock lock() {
        return RunLock.take(this);
    }

    /** Makes the new, empty folder of run {@code runId} and points {@code latest} at it. */
    public ResultsFolder startRun(String runId) {
        Path folder = runs().resolve(runId);
        try {
            Files.createDirectories(runs());
            try {
                Files.createDirectory(folder);
            } catch (FileAlreadyExistsException e) {
                try (var entries = Files.list(folder)) {
                    // the launcher makes the folder first (its junit/ and allure-results/ go there); a used one is refused
                    if (entries.anyMatch(p -> p.getFileName().toString().equals("run.json")
                            || p.getFileName().toString().equals("outcomes.jsonl"))) {
                        throw new IllegalStateException("run " + runId + " already has results in " + folder
                                + ": choose a new -D" + RunId.PROPERTY);
                    }
                }
            }
            Path link = dir.resolve(LATEST + ".tmp-" + runId);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(RUNS, runId));
            Files.move(link, dir.resolve(LATEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results folder " + dir + ": " + e.getMessage(), e);
        }
        return new ResultsFolder(folder);
    }

    /** The newest run's folder, when there is one. */
    public Optional<ResultsFolder> latest() {
        Path latest = dir.resolve(LATEST);
        if (!Files.isDirectory(latest)) return Optional.empty();
        try {
            return Optional.of(new ResultsFolder(latest.toRealPath()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
