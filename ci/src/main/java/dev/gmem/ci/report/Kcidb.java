package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;

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
 * One run as one KCIDB v5.3 submission ({@code kcidb.json}, for {@code kcidb-submit}; written by
 * {@link ComplianceReportWriter}): the kernel
 * checked is one checkout and one build, each clause decided on a kernel target one test with
 * path {@code gmem.<edition>.<clause>}. Model and broken targets check the kit, not a kernel:
 * they are left out. An item of the plan the run never decided is a test with status MISS.
 */
final class Kcidb {
    static final String ORIGIN = "gmem_conformance";
    static final String FILE = "kcidb.json";
    /** KCIDB's log_excerpt limit (schema: maxLength 16384). */
    private static final int EXCERPT = 16384;

    /** What is known of the kernel's source, from the run's options ({@code kernel.commit}, ...). */
    record KernelSource(String commit, String tree, String repository) {
        static KernelSource of(Map<String, String> options) {
            return new KernelSource(options.getOrDefault("kernel.commit", ""), options.getOrDefault("kernel.tree", ""),
                    options.getOrDefault("kernel.repository", ""));
        }
    }

    private Kcidb() {
    }

    /** Writes (replaces, atomically) {@code kcidb.json} of the run into its results folder. */
    static Path write(RunReport run) throws IOException {
        RunPlan plan = run.plan();
        Path file = plan.results().resolve(FILE);
        Path temporary = plan.results().resolve(FILE + ".tmp");
        Files.createDirectories(plan.results());
        Files.writeString(temporary, Json.writePretty(submission(run)), StandardCharsets.UTF_8);
        return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static boolean isKernelTarget(String target) {
        return target.equals("kernel") || target.startsWith("kernel:");
    }

    static Map<String, Object> submission(RunReport report) {
        RunPlan plan = report.plan();
        String run = ORIGIN + ":" + runId(plan);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", map("major", 5L, "minor", 3L));
        out.put("checkouts", List.of(checkout(plan, run)));
        Map<String, Object> build = map("id", run, "origin", ORIGIN, "checkout_id", run,
                "comment", "the running kernel " + plan.kernelRelease() + " (gmem-conformance does not build it)");
        build.put("architecture", architecture());
        build.put("misc", map("kernel_release", plan.kernelRelease()));
        out.put("builds", List.of(build));
        List<Object> tests = new ArrayList<>();
        Map<PlanItem, ClauseOutcome> latest = new LinkedHashMap<>();
        for (ClauseOutcome o : report.outcomes()) {
            if (!isKernelTarget(o.target())) continue;
            latest.put(new PlanItem(o.clauseId(), o.target(), o.edition()), o); // a rerun's later outcome counts
        }
        latest.values().forEach(o -> tests.add(test(run, plan, o)));
        for (PlanItem item : report.undecided()) {
            if (!isKernelTarget(item.target())) continue;
            Map<String, Object> t = testHead(run, plan, item.clauseId(), item.target(), item.edition());
            t.put("status", StatusWords.MISSED);
            t.put("comment", "not decided: the run ended first");
            tests.add(t);
        }
        out.put("tests", tests);
        return out;
    }

    private static Map<String, Object> checkout(RunPlan plan, String run) {
        KernelSource source = KernelSource.of(plan.options());
        Map<String, Object> c = map("id", run, "origin", ORIGIN);
        if (!source.tree().isEmpty()) c.put("tree_name", source.tree());
        if (source.repository().startsWith("https://")) c.put("git_repository_url", source.repository());
        if (source.commit().matches("[0-9a-f]{40}")) c.put("git_commit_hash", source.commit());
        c.put("git_commit_name", plan.kernelRelease());
        c.put("valid", Boolean.TRUE);
        c.put("misc", map("kernel_release", plan.kernelRelease(), "kit_version", plan.kitVersion(), "seed", plan.seed()));
        return c;
    }

    private static Map<String, Object> test(String run, RunPlan plan, ClauseOutcome o) {
        Map<String, Object> t = testHead(run, plan, o.clauseId(), o.target(), o.edition());
        t.put("status", StatusWords.kcidb(o.status()));
        if (!o.reason().isEmpty()) t.put("comment", o.clauseId() + ": " + StepText.firstLine(o.reason()));
        else t.put("comment", o.clauseId() + ": " + o.sentence());
        if (o.status() == Status.FAILED || o.status() == Status.OPTIONAL_FAILED) {
            t.put("log_excerpt", excerpt(o));
        }
        Map<String, Object> misc = map("seed", o.seed(), "target", o.target(), "edition", o.edition(),
                "status", StatusWords.json(o.status()));
        if (!o.replay().isEmpty()) misc.put("replay", o.replay());
        t.put("misc", misc);
        return t;
    }

    private static Map<String, Object> testHead(String run, RunPlan plan, String clause, String target, String edition) {
        Map<String, Object> t = map("id", run + ":" + target + ":" + edition + ":" + clause, "build_id", run,
                "origin", ORIGIN, "path", "gmem." + pathPart(edition) + "." + pathPart(clause));
        t.put("environment", map("comment", target + " on " + plan.kernelRelease()));
        return t;
    }

    /** The failure as a developer reads it: the message, the replay command, the shrunk steps. */
    private static String excerpt(ClauseOutcome o) {
        StringBuilder s = new StringBuilder();
        if (!o.reason().isEmpty()) s.append(StepText.firstLine(o.reason())).append('\n');
        if (!o.replay().isEmpty()) s.append("replay: ").append(o.replay()).append('\n');
        int n = 1;
        for (Step step : o.shrunk()) s.append(StepText.line(n++, step)).append('\n');
        String text = s.toString().replace('\0', ' ');
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT - 4) + "...\n";
    }

    /** A part of a KCIDB path: letters, digits, '_' and '-' only. */
    static String pathPart(String name) {
        String part = name.replaceAll("[^a-zA-Z0-9_-]", "_");
        return part.isEmpty() ? "_" : part;
    }

    /** The run's id, or for a recorded run without one, an id made of what it recorded. */
    private static String runId(RunPlan plan) {
        if (!plan.runId().isBlank() && !plan.runId().equals("recorded")) return plan.runId();
        return "seed" + Long.toUnsignedString(plan.seed()) + "-" + Integer.toHexString(
                (plan.kernelRelease() + plan.items()).hashCode());
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "arm64";
            default -> arch.replaceAll("[^a-z0-9_]", "_");
        };
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object v = keysAndValues[i + 1];
            m.put((String) keysAndValues[i], v instanceof Integer n ? Long.valueOf(n) : v);
        }
        return m;
    }
}
