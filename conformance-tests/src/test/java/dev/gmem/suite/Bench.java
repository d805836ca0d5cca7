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

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SEQ against each model edition beside its anchor, the model alone, in one run: SEQ's sequences
 * and steps per CPU second, guided by the model events as the suite runs it (generation, choice recording, the target — the
 * model — and the check against the model), then the same operations SEQ applied replayed
 * through the model alone (expect, example, next), and the ratio. Rates are per CPU second of the whole JVM
 * (the bench thread, the collector, the compiler) so that a busy shared machine skews them less;
 * run it on one core ({@code taskset -c 1}) for the one-core figure. {@code java -cp ... dev.gmem.suite.Bench [SECONDS_PER_EDITION [EDITION...]]},
 * or {@code ./gmem-conformance --bench [SECONDS]}.
 */
public final class Bench {
    /** The JVM's CPU time: the bench thread's, the collector's and the compiler's (all the harness costs). */
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private Bench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        ClauseProperty seq = SeqClauses.SEQ.checks().get(0);
        System.out.printf(Locale.ROOT, "SEQ against the model, guided as in the suite, %.0f s per edition after 1.25 s of warm-up on each (all before the first is measured), one thread, per CPU second of the JVM%n", seconds);
        System.out.printf(Locale.ROOT, "%-16s %10s %10s %12s %14s %8s%n", "edition", "sequences", "seq/s", "SEQ steps/s",
                "model steps/s", "SEQ/model");
        List<String> only = List.of(args).subList(Math.min(1, args.length), args.length);
        List<Edition> editions = Edition.all().stream().filter(e -> only.isEmpty() || only.contains(e.name())).toList();
        // as the suite runs it: guided by the model events when the clause says so
        String guideBy = seq.guided() ? Checker.EVENTS : null;
        // warm-up of every edition before the first is measured: the JIT compiles the model, the
        // generators and the checker on the JVM's other threads, whose CPU time the rates count
        for (int round = 0; round < 2; round++) {
            for (Edition e : editions) {
                PropertyRunner.run(RunConfig.of(1, Integer.MAX_VALUE).withTimeBudget(Duration.ofMillis(round == 0 ? 1000 : 250)),
                        seqOn(e, seq), List.of(), guideBy);
            }
        }
        for (Edition e : editions) {
            ModelTarget target = new ModelTarget(e);
            Property property = seqOn(e, seq);
            RunConfig config = RunConfig.of(2, Integer.MAX_VALUE).withTimeBudget(Duration.ofMillis((long) (seconds * 1000)));
            long start = cpuNanos();
            PropertyResult r = PropertyRunner.run(config, property, List.of(), guideBy);
            double took = (cpuNanos() - start) / 1e9;
            long steps = 0;
            for (long n : r.statistics().asMap().getOrDefault(Checker.OPERATIONS, Map.of()).values()) steps += n;
            double seqRate = steps / took;
            // the same seed and tries make the same sequences again: recorded (untimed) for the model alone
            List<List<Operation>> sessions = new ArrayList<>();
            Target recording = new WatchedTarget(target, () -> {
                List<Operation> ops = new ArrayList<>();
                sessions.add(ops);
                return ops::add;
            });
            PropertyRunner.run(config.withTries(r.tries()).withTimeBudget(Duration.ofDays(1)),
                    ClauseRunner.asProperty(recording, e, target.capabilities(e), ReferenceModel.of(e), seq), List.of(), guideBy);
            double modelRate = modelAlone(ReferenceModel.of(e), sessions);
            System.out.printf(Locale.ROOT, "%-16s %10d %10.0f %12.0f %14.0f %8.2f%s%n", e.name(), r.tries(), r.tries() / took,
                    seqRate, modelRate, seqRate / modelRate, r.passed() ? "" : "  (" + r.outcome() + ")");
        }
        if (only.isEmpty()) {
            System.out.println();
            ShrinkBench.main(new String[0]);
        }
    }

    private static Property seqOn(Edition e, ClauseProperty seq) {
        ModelTarget target = new ModelTarget(e);
        return ClauseRunner.asProperty(target, e, target.capabilities(e), ReferenceModel.of(e), seq);
    }

    /** The model alone on SEQ's own sequences, steps per CPU second: the median of rounds over at least a CPU second, after one warm-up. */
    private static double modelAlone(ReferenceModel model, List<List<Operation>> sessions) {
        long steps = 0;
        for (List<Operation> ops : sessions) steps += ops.size();
        List<Double> rates = new ArrayList<>();
        long sink = 0;
        long spent = 0;
        for (int round = 0; round < 3 || spent < 1_000_000_000L; round++) {
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
            if (round > 0) {
                rates.add(steps * 1e9 / took);
                spent += took;
            }
        }
        if (sink == 42) System.out.print("");
        rates.sort(null);
        return rates.get(rates.size() / 2);
    }

    private static long cpuNanos() {
        long t = OS.getProcessCpuTime();
        return t >= 0 ? t : System.nanoTime();
    }
}
