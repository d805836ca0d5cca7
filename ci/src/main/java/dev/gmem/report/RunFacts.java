package dev.gmem.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
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

    /** Writes (replaces, atomically) the facts file; call it when the run starts and again when facts grow. */
    public static void write(Path file, String kernelRelease, long seed, Map<String, List<String>> facts)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kernelRelease", kernelRelease);
        json.put("seed", seed);
        json.put("facts", RecordJson.toJson(new LinkedHashMap<>(facts), Map.class));
        Path temporary = parent.resolve(file.getFileName() + ".tmp");
        Files.writeString(temporary, Json.writePretty(json), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The run in {@code results}: its facts file and every outcome logged so far. Without a facts
     * file the kernel release is this machine's and the seed 0.
     */
    @SuppressWarnings("unchecked")
    public static RunReport read(ResultsFolder results) throws IOException {
        List<ClauseOutcome> outcomes = OutcomeLog.read(results.outcomes());
        Path file = results.runFacts();
        if (!Files.exists(file)) return new RunReport(KernelRelease.current(), 0, Map.of(), outcomes);
        try {
            Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            Map<String, List<String>> facts = new LinkedHashMap<>();
            ((Map<String, Object>) json.getOrDefault("facts", Map.of()))
                    .forEach((target, list) -> facts.put(target, (List<String>) list));
            return new RunReport((String) json.get("kernelRelease"), (Long) json.get("seed"), facts, outcomes);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a run facts file (" + e.getMessage() + ")", e);
        }
    }
}
