package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Target;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ModelTarget;
import dev.gmem.model.ReferenceModel;
import dev.gmem.mutants.ShrinkBench;
import dev.gmem.property.Property;
import dev.gmem.property.PropertyResult;
import dev.gmem.property.PropertyRunner;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.clauses.SeqClauses;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SEQ against each model edition beside its anchor, the model alone, in one run: SEQ's sequences
 * and steps per CPU second, guided by the model events as the suite runs it (generation, choice
 * recording, the target — the model — and the check against the model), then the same operations
 * SEQ applied replayed through the model alone (expect, example, next), and the ratio; in rounds
 * that alternate the two, so that a load that comes and goes skews both alike. Rates are per CPU
 * second of the whole JVM (the bench thread, the collector, the compiler) so that a busy shared
 * machine skews them less; run it on one core ({@code taskset -c 1}) for the one-core figure.
 * {@code java -cp ... dev.gmem.suite.Bench [SECONDS_PER_EDITION [EDITION...]]}, or
 * {@code ./gmem-conformance --bench [SECONDS]}.
 */
public final class Bench {
    /** The JVM's CPU time: the bench thread's, the collector's and the compiler's (all the harness costs). */
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /**
     * Rounds per edition, each SEQ's sequences and then the model alone on the same operations, so
     * that both see the same load; the medians are printed.
     */
    private static final int ROUNDS = 5;
    /** The warm-up ends once a round's compiling took less than 1/QUIET_JIT_SHARE of the round's CPU time, */
    private static final int QUIET_JIT_SHARE = 50;
    /** or after this many rounds. */
    private static final int MAX_WARM_UP_ROUNDS = 8;

    private Bench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        ClauseProperty seq = SeqClauses.SEQ.checks().get(0);
        System.out.printf(Locale.ROOT, "SEQ against the model, guided as in the suite, about %.0f s per edition in %d rounds, each"
                + " beside the model alone on the same operations (medians), after a warm-up until the JIT is quiet; one thread,"
                + " per CPU second of the JVM%n", seconds, ROUNDS);
        System.out.printf(Locale.ROOT, "%-16s %10s %10s %12s %14s %8s%n", "edition", "sequences", "seq/s", "SEQ steps/s",
                "model steps/s", "SEQ/model");
        List<String> only = List.of(args).subList(Math.min(1, args.length), args.length);
        List<Workload> workloads = new ArrayList<>();
        for (Edition e : Edition.all()) {
            if (only.isEmpty() || only.contains(e.name())) workloads.add(Workload.of(e, seq, seconds / ROUNDS));
        }
        warmUp(workloads);
        for (Workload w : workloads) {
            double[] seqRates = new double[ROUNDS];
            double[] modelRates = new double[ROUNDS];
            double[] ratios = new double[ROUNDS];
            PropertyResult r = null;
            long steps = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long start = cpuNanos();
                r = w.seq();
                long took = cpuNanos() - start;
                steps = 0;
                for (long n : r.statistics().asMap().getOrDefault(Checker.OPERATIONS, Map.of()).values()) steps += n;
                seqRates[round] = steps * 1e9 / took;
                modelRates[round] = steps * 1e9 / w.modelAlone();
                ratios[round] = seqRates[round] / modelRates[round];
            }
            double seqRate = median(seqRates);
            System.out.printf(Locale.ROOT, "%-16s %10d %10.0f %12.0f %14.0f %8.2f%s%n", w.edition.name(), r.tries() * ROUNDS,
                    seqRate * r.tries() / steps, seqRate, median(modelRates), median(ratios),
                    r.passed() ? "" : "  (" + r.outcome() + ")");
        }
        if (only.isEmpty()) {
            System.out.println();
            ShrinkBench.main(new String[0]);
        }
    }

    /**
     * Rounds of every workload until the JIT compiles little: it runs on the JVM's other threads,
     * whose CPU time the rates count, and the first edition measured would pay for the paths all share.
     */
    private static void warmUp(List<Workload> workloads) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        for (int round = 0; round < MAX_WARM_UP_ROUNDS; round++) {
            long compiled = jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
            long start = cpuNanos();
            for (Workload w : workloads) {
                w.seq();
                w.modelAlone();
            }
            long spentMillis = (cpuNanos() - start) / 1_000_000;
            if (!jit.isCompilationTimeMonitoringSupported()) return;
            if ((jit.getTotalCompilationTime() - compiled) * QUIET_JIT_SHARE < spentMillis) return;
        }
    }

    /** One edition's SEQ run of a fixed number of sequences, and the operations it applied, recorded for the model alone. */
    private record Workload(Edition edition, Property property, RunConfig config, String guideBy, ReferenceModel model,
                            List<List<Operation>> sessions) {
        /** As many sequences as fill {@code seconds} of CPU after a second of warm-up; every run makes those again (same seed, same tries). */
        static Workload of(Edition e, ClauseProperty seq, double seconds) {
            ModelTarget target = new ModelTarget(e);
            Property property = ClauseRunner.asProperty(target, e, target.capabilities(e), ReferenceModel.of(e), seq);
            // as the suite runs it: guided by the model events when the clause says so
            String guideBy = seq.guided() ? Checker.EVENTS : null;
            PropertyRunner.run(RunConfig.of(1, Integer.MAX_VALUE).withTimeBudget(Duration.ofSeconds(1)), property, List.of(), guideBy);
            // sized by CPU time: on a busy machine the time budget (wall time) buys fewer
            RunConfig sizing = RunConfig.of(2, Integer.MAX_VALUE).withTimeBudget(Duration.ofMillis((long) (seconds * 1000)));
            long start = cpuNanos();
            int sized = PropertyRunner.run(sizing, property, List.of(), guideBy).tries();
            int tries = (int) Math.max(1, Math.min(Integer.MAX_VALUE, sized * seconds * 1e9 / Math.max(1, cpuNanos() - start)));
            RunConfig config = sizing.withTries(tries).withTimeBudget(Duration.ofDays(1));
            List<List<Operation>> sessions = new ArrayList<>();
            Target recording = new WatchedTarget(target, () -> {
                List<Operation> ops = new ArrayList<>();
                sessions.add(ops);
                return ops::add;
            });
            PropertyRunner.run(config, ClauseRunner.asProperty(recording, e, target.capabilities(e), ReferenceModel.of(e), seq),
                    List.of(), guideBy);
            return new Workload(e, property, config, guideBy, ReferenceModel.of(e), sessions);
        }

        PropertyResult seq() {
            return PropertyRunner.run(config, property, List.of(), guideBy);
        }

        /** The CPU time of one pass of the model alone over SEQ's operations (expect, example, next). */
        long modelAlone() {
            long sink = 0;
            long start = cpuNanos();
            for (List<Operation> ops : sessions) {
                ModelState state = model.initial();
                for (Operation op : ops) {
                    Expectation x = model.expect(state, op);
                    Observation o = x.example();
                    state = x.next(o);
                    sink += o.hashCode();
                }
            }
            long took = cpuNanos() - start;
            if (sink == 42) System.out.print("");
            return took;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long cpuNanos() {
        long t = OS.getProcessCpuTime();
        return t >= 0 ? t : System.nanoTime();
    }
}
