package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.KernelRelease;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.property.RunConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One run of the suite, the launcher half of the launcher/listener split: the plan (every clause ×
 * target × edition it will decide, and the facts of each target), told to the outcome listeners at
 * the start, then each decided outcome, then the end. The suite writes no report itself.
 */
public final class SuiteRun {
    /** One planned item with the objects that decide it. */
    public record Item(Target target, Clause clause, Edition edition) {
        PlanItem planned() {
            return new PlanItem(clause.id(), target.name(), edition.name());
        }
    }

    private final RunPlan plan;
    private final List<Item> items;
    private final OutcomeListener listener;
    private int decided;

    private SuiteRun(RunPlan plan, List<Item> items, OutcomeListener listener) {
        this.plan = plan;
        this.items = List.copyOf(items);
        this.listener = listener;
    }

    /**
     * Plans the run of {@code clauses} on {@code targets} into the run's own folder {@code results}
     * ({@code ROOT/runs/<id>}, see {@link dev.gmem.api.outcome.ResultsRoot#startRun}; the run's id is
     * its name) and tells {@code listener} it started.
     */
    public static SuiteRun start(String targetSpec, String clauseSelector, List<Target> targets, List<Clause> clauses,
                                 RunConfig config, Path results, OutcomeListener listener) {
        return start(targetSpec, clauseSelector, targets, clauses, config, results, listener, Map.of());
    }

    private static SuiteRun start(String targetSpec, String clauseSelector, List<Target> targets, List<Clause> clauses,
                                  RunConfig config, Path results, OutcomeListener listener, Map<String, String> extra) {
        List<Item> items = items(targets, clauses);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("target", targetSpec);
        options.put("clause", clauseSelector);
        options.put("tries", Integer.toString(config.tries()));
        options.put("time", config.timeBudget().toMillis() + " ms");
        options.put("shrinkTime", config.shrinkTime().toMillis() + " ms");
        options.putAll(extra);
        Map<String, List<String>> facts = new LinkedHashMap<>();
        for (Target t : targets) facts.put(t.name(), facts(t));
        RunPlan plan = new RunPlan(new ResultsFolder(results).runId(), kitVersion(), KernelRelease.current(), config.seed(), options, facts,
                items.stream().map(Item::planned).toList(), results);
        SuiteRun run = new SuiteRun(plan, items, listener);
        if (listener instanceof dev.gmem.api.outcome.OutcomeListeners all) Timings.listeners(all::nanosByListener);
        listener.runStarted(plan);
        return run;
    }

    /** Each clause on each target, in every edition of the target it binds (else the target's first, to say why not). */
    static List<Item> items(List<Target> targets, List<Clause> clauses) {
        List<Item> out = new ArrayList<>();
        for (Target target : targets) {
            for (Clause clause : clauses) {
                List<Edition> bound = target.editions().stream().filter(clause::bindsEdition).toList();
                for (Edition edition : bound.isEmpty() ? List.of(target.editions().get(0)) : bound) {
                    out.add(new Item(target, clause, edition));
                }
            }
        }
        return out;
    }

    /** What a target detected, one fact a line: its own facts, then per edition what it cannot do and what it found. */
    static List<String> facts(Target t) {
        List<String> lines = new ArrayList<>();
        t.facts().forEach((k, v) -> lines.add(k + ": " + v));
        for (Edition e : t.editions()) {
            t.capabilities(e).unsupported().forEach((kind, why) -> lines.add(e.name() + " cannot " + kind + ": " + why));
            t.capabilities(e).findings().forEach(f -> lines.add(e.name() + ": " + f));
        }
        return lines;
    }

    public RunPlan plan() {
        return plan;
    }

    public List<Item> items() {
        return items;
    }

    /** Plans the run {@code options} describe (see {@link #start(String, String, List, List, RunConfig, Path, OutcomeListener)}). */
    public static SuiteRun start(SuiteOptions options, List<Target> targets, Path results, OutcomeListener listener) {
        Map<String, String> extra = new LinkedHashMap<>();
        options.deadline().ifPresent(d -> extra.put("deadline", d.toMillis() + " ms"));
        options.kernelNotTested().ifPresent(why -> extra.put(RunPlan.KERNEL_NOT_TESTED, why));
        return start(options.targetSpec(), options.clauseSelector(), targets, options.clauses(), options.config(), results,
                listener, extra);
    }

    /** How many items were decided so far. */
    public synchronized int decidedCount() {
        return decided;
    }

    /** Tells the listeners one decided outcome. */
    public synchronized void decided(ClauseOutcome outcome) {
        decided++;
        listener.itemDecided(outcome);
    }

    /** Tells the listeners the run ended, and whether every planned item was decided. */
    public synchronized void finish() {
        listener.runFinished(RunEnd.of(plan, decided));
    }

    /** The kit's version, as the build wrote it into {@code kit.properties}. */
    static String kitVersion() {
        try (InputStream in = SuiteRun.class.getResourceAsStream("kit.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
