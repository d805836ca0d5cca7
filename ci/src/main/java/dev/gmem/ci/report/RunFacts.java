package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.KernelRelease;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's plan and how it ended, kept in {@code run.json} beside {@code outcomes.jsonl}: written
 * with {@code "complete": false} when the run starts, rewritten when it ends. {@code ci/report}
 * replays a run from the two, even one that was killed (it then reads as interrupted).
 */
public final class RunFacts {
    private RunFacts() {
    }

    /** Writes (replaces, atomically) the facts file of {@code plan}; {@code end} is null while the run goes on. */
    public static void write(Path file, RunPlan plan, RunEnd end) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runId", plan.runId());
        json.put("kitVersion", plan.kitVersion());
        json.put("kernelRelease", plan.kernelRelease());
        json.put("seed", plan.seed());
        json.put("options", RecordJson.toJson(new LinkedHashMap<>(plan.options()), Map.class));
        json.put("facts", RecordJson.toJson(new LinkedHashMap<>(plan.facts()), Map.class));
        List<Object> items = new ArrayList<>();
        for (PlanItem i : plan.items()) items.add(RecordJson.toJson(i, PlanItem.class));
        json.put("items", items);
        json.put("complete", end != null && end.completed());
        json.put("decided", end == null ? 0L : (long) end.decided());
        Path temporary = parent.resolve(file.getFileName() + ".tmp");
        Files.writeString(temporary, Json.writePretty(json), StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The run in {@code results}: its plan, every outcome of that run logged so far, and how far it got. */
    public static RunReport read(ResultsFolder results) throws IOException {
        List<ClauseOutcome> logged = OutcomeLog.read(results.outcomes());
        RunPlan plan = readPlan(results, logged);
        List<ClauseOutcome> outcomes = OutcomeLog.readRun(results.outcomes(), plan.runId());
        return new RunReport(plan, outcomes, RunEnd.of(plan, decided(plan, outcomes)));
    }

    /** How many planned items have an outcome (a clause logged twice counts once). */
    private static int decided(RunPlan plan, List<ClauseOutcome> outcomes) {
        return (int) plan.items().stream().filter(i -> outcomes.stream()
                .anyMatch(o -> o.clauseId().equals(i.clauseId()) && o.target().equals(i.target()) && o.edition().equals(i.edition())))
                .count();
    }

    /**
     * The plan of the run recorded in {@code results}. A facts file without items (an older kit) plans
     * what was logged; without a facts file the kernel release is this machine's and the seed 0.
     */
    @SuppressWarnings("unchecked")
    public static RunPlan readPlan(ResultsFolder results, List<ClauseOutcome> outcomes) throws IOException {
        List<PlanItem> logged = outcomes.stream().map(o -> new PlanItem(o.clauseId(), o.target(), o.edition())).distinct().toList();
        Path file = results.runFacts();
        if (!Files.exists(file)) {
            return new RunPlan(results.runId(), "unknown", KernelRelease.current(), 0, Map.of(), Map.of(), logged, results.dir());
        }
        try {
            Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            Map<String, List<String>> facts = new LinkedHashMap<>();
            ((Map<String, Object>) json.getOrDefault("facts", Map.of()))
                    .forEach((target, list) -> facts.put(target, (List<String>) list));
            Map<String, String> options = new LinkedHashMap<>();
            ((Map<String, Object>) json.getOrDefault("options", Map.of())).forEach((k, v) -> options.put(k, String.valueOf(v)));
            List<PlanItem> items = json.containsKey("items")
                    ? ((List<Object>) json.get("items")).stream().map(i -> (PlanItem) RecordJson.fromJson(i, PlanItem.class)).toList()
                    : logged;
            return new RunPlan((String) json.getOrDefault("runId", results.runId()), (String) json.getOrDefault("kitVersion", "unknown"),
                    (String) json.get("kernelRelease"), (Long) json.get("seed"), options, facts, items, results.dir());
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a run facts file (" + e.getMessage() + ")", e);
        }
    }
}
