package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.KernelRelease;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunPlan;

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
 * in {@code run.json} beside {@code outcomes.jsonl} so that {@code ci/report} can replay a run,
 * even one that was killed, through the same report writers.
 */
public final class RunFacts {
    private RunFacts() {
    }

    /** Writes (replaces, atomically) the facts file of {@code plan}. */
    public static void write(Path file, RunPlan plan) throws IOException {
        write(file, plan.kernelRelease(), plan.seed(), plan.facts());
    }

    /** Writes (replaces, atomically) the facts file. */
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

    /** The run in {@code results}: its facts file and every outcome logged so far. */
    public static RunReport read(ResultsFolder results) throws IOException {
        List<ClauseOutcome> outcomes = OutcomeLog.read(results.outcomes());
        RunPlan plan = readPlan(results, outcomes);
        return new RunReport(plan.kernelRelease(), plan.seed(), plan.facts(), outcomes);
    }

    /**
     * The plan of the run recorded in {@code results}, as far as the files tell it: the facts file
     * and, as its items, the outcomes logged. Without a facts file the kernel release is this
     * machine's and the seed 0.
     */
    @SuppressWarnings("unchecked")
    public static RunPlan readPlan(ResultsFolder results, List<ClauseOutcome> outcomes) throws IOException {
        List<PlanItem> items = outcomes.stream().map(o -> new PlanItem(o.clauseId(), o.target(), o.edition())).toList();
        Path file = results.runFacts();
        if (!Files.exists(file)) {
            return new RunPlan("recorded", "unknown", KernelRelease.current(), 0, Map.of(), Map.of(), items, results.dir());
        }
        try {
            Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            Map<String, List<String>> facts = new LinkedHashMap<>();
            ((Map<String, Object>) json.getOrDefault("facts", Map.of()))
                    .forEach((target, list) -> facts.put(target, (List<String>) list));
            return new RunPlan("recorded", "unknown", (String) json.get("kernelRelease"), (Long) json.get("seed"), Map.of(),
                    facts, items, results.dir());
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a run facts file (" + e.getMessage() + ")", e);
        }
    }
}
