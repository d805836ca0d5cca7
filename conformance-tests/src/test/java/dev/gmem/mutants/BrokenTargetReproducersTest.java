package dev.gmem.mutants;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.KernelRelease;
import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.clauses.Catalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every C reproducer the broken targets produce, written by the run's own report listeners: it
 * compiles with {@code gcc -std=c11 -Wall -Wextra -Werror}, stays small (the median at most
 * {@value #MEDIAN_LINES} lines, the aim; none over {@value #MAX_LINES}, the longest reached, a
 * guard against growth), and gives on this machine the verdict the kit's kernel target gives for
 * the same steps: SKIP (exit 4, one line) where the kernel does not speak the edition (every
 * conversion edition on a kernel without private memory), else PASS (0) when the kernel answers
 * every step as the model expects, FAIL (1) when it does not.
 */
class BrokenTargetReproducersTest {
    static final int MEDIAN_LINES = 150;
    static final int MAX_LINES = 310;

    @Test
    void everyReproducerOfTheBrokenTargetsCompilesIsSmallAndGivesTheKernelsVerdict(@TempDir Path dir)
            throws IOException, InterruptedException {
        assumeTrue(run(List.of("gcc", "--version"), dir).exit() == 0, "gcc is not installed (apt-get install gcc)");
        Map<Path, ClauseOutcome> byFile = new LinkedHashMap<>();
        List<ClauseOutcome> outcomes = new ArrayList<>();
        for (Mutant m : Mutants.all()) {
            ClauseOutcome o = ClauseRunner.run(m, Catalogue.byId(m.breaks()).orElseThrow(), m.edition(),
                    MutantsAreCaughtTest.CONFIG).outcome();
            assertThat(o.status()).as(m.id()).isEqualTo(Status.FAILED);
            outcomes.add(o);
        }
        RunPlan plan = new RunPlan("broken-targets", "test", KernelRelease.current(), MutantsAreCaughtTest.SEED, Map.of(),
                Map.of(), outcomes.stream().map(o -> new PlanItem(o.clauseId(), o.target(), o.edition())).toList(), dir);
        OutcomeListeners reports = OutcomeListeners.load();
        reports.runStarted(plan);
        outcomes.forEach(reports::itemDecided);
        reports.runFinished(RunEnd.of(plan, outcomes.size()));
        assertThat(reports.failed()).as("a report listener failed").isFalse();
        for (ClauseOutcome o : outcomes) {
            Path c = dir.resolve("reproducers").resolve(o.clauseId() + "-" + o.target().replaceAll("[^A-Za-z0-9._-]", "_")
                    + "-" + o.edition() + ".c");
            assertThat(c).as("the reproducer of " + o.target()).isRegularFile();
            byFile.put(c, o);
        }

        Map<String, Integer> lines = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Path, ClauseOutcome> e : byFile.entrySet()) {
            Path c = e.getKey();
            ClauseOutcome o = e.getValue();
            String source = Files.readString(c, StandardCharsets.UTF_8);
            lines.put(c.getFileName().toString(), (int) source.lines().count());
            assertThat(source).contains("Clause:  " + " " + o.clauseId()).contains("Seed:     " + o.seed())
                    .contains("Replay:   ").contains("Kernel:   failed on " + plan.kernelRelease()).contains("Kit:      gmem-conformance test");
            Path exe = dir.resolve(c.getFileName().toString().replace(".c", ""));
            Result cc = run(List.of("gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", exe.toString(), c.toString()), dir);
            assertThat(cc.exit()).as(c.getFileName() + " compiles:\n" + cc.output()).isZero();
            int verdict = kernelVerdict(Edition.byName(o.edition()).orElseThrow(), o.shrunk());
            Result r = run(List.of(exe.toString()), dir);
            if (r.exit() != verdict) {
                wrong.add(c.getFileName() + ": exit " + r.exit() + ", the kernel target's verdict " + verdict + ": " + r.output());
            }
            if (r.exit() == 4) {
                assertThat(r.output().lines().toList()).as(c.getFileName() + " skips in one line").hasSize(1)
                        .allMatch(l -> l.startsWith("SKIP: "));
            }
            boolean converts = Edition.byName(o.edition()).orElseThrow().converts();
            if (converts && verdict == 4) assertThat(r.exit()).as(c.getFileName() + ": a conversion edition here").isEqualTo(4);
        }
        assertThat(wrong).isEmpty();
        if (System.getProperty("gmem.keepReproducers") != null) copyTo(dir.resolve("reproducers"), Path.of(System.getProperty("gmem.keepReproducers")));
        List<Integer> sorted = lines.values().stream().sorted().toList();
        int median = sorted.get(sorted.size() / 2);
        System.out.println(distribution(sorted));
        lines.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> System.out.printf("  %4d  %s%n", e.getValue(), e.getKey()));
        assertThat(median).as("median lines of " + sorted).isLessThanOrEqualTo(MEDIAN_LINES);
        assertThat(sorted.get(sorted.size() - 1)).as("the longest of " + sorted).isLessThanOrEqualTo(MAX_LINES);
    }

    /**
     * What the kit's kernel target says of these steps on this machine: 4 when it cannot open the
     * edition, 1 when a step's answer is not one the reproducer accepts, else 0.
     */
    static int kernelVerdict(Edition edition, List<Step> steps) {
        Session session;
        try {
            List<Target> kernel = Targets.resolve("kernel:" + edition.name());
            if (kernel.isEmpty()) return 4;
            session = kernel.get(0).open(edition);
        } catch (TargetException | RuntimeException e) {
            return 4;
        }
        try (session) {
            for (Step s : steps) {
                if (s.expected() instanceof Observation.Unsupported) continue;
                Observation seen = session.apply(s.operation());
                boolean allowed = seen.equals(s.expected()) || (!s.diverged() && seen.equals(s.seen()));
                if (!allowed) return 1;
            }
        }
        return 0;
    }

    /** "27 reproducers, lines: min 103, quartiles 113 / 143 / 224, max 306; 100-149: 14, 150-199: 6, ...". */
    static String distribution(List<Integer> sorted) {
        int n = sorted.size();
        Map<Integer, Integer> byFifty = new java.util.TreeMap<>();
        sorted.forEach(l -> byFifty.merge(l / 50 * 50, 1, Integer::sum));
        StringBuilder s = new StringBuilder("broken-target reproducers: " + n + ", lines: min " + sorted.get(0) + ", quartiles "
                + sorted.get(n / 4) + " / " + sorted.get(n / 2) + " (median) / " + sorted.get(3 * n / 4)
                + ", max " + sorted.get(n - 1) + ";");
        byFifty.forEach((from, count) -> s.append(' ').append(from).append('-').append(from + 49).append(": ").append(count)
                .append(','));
        return s.substring(0, s.length() - 1);
    }

    private static void copyTo(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

}
