package dev.gmem.model.bench;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Model steps per CPU second of one thread (expect + example + next), per edition, on random realistic
 * sequences of {@link RealisticOps}: sessions of {@value #SESSION} steps on a 64-page file.
 * Run with {@code mvn -q -o -pl model-adapter -am -Pbench verify}.
 */
public final class ModelBench {
    private static final int SESSION = 2_000;
    private static final int SESSIONS = 250;
    private static final int WARMUP_ROUNDS = 3;
    private static final int ROUNDS = 5;
    /** Rates are per CPU second of the benchmark thread, so that a busy shared machine skews them less. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ModelBench() {
    }

    public static void main(String[] args) {
        List<Edition> editions = new ArrayList<>(Edition.all());
        if (args.length > 0) editions.removeIf(e -> !Arrays.asList(args).contains(e.name()));
        Random random = new Random(2026);
        Operation[][] sessions = new Operation[SESSIONS][];
        for (int s = 0; s < SESSIONS; s++) sessions[s] = RealisticOps.sequence(random, SESSION);
        System.out.printf(Locale.ROOT, "model bench: %d sessions x %d steps on a %d-page file, %d warm-up + %d measured rounds, one thread, steps per CPU second%n",
                SESSIONS, SESSION, RealisticOps.PAGES, WARMUP_ROUNDS, ROUNDS);
        for (Edition e : editions) {
            ReferenceModel model = ReferenceModel.of(e);
            for (int r = 0; r < WARMUP_ROUNDS; r++) round(model, sessions);
            double[] rates = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) rates[r] = round(model, sessions);
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%-15s median %,12.0f steps/s   (min %,.0f, max %,.0f)%n",
                    e.name(), rates[ROUNDS / 2], rates[0], rates[ROUNDS - 1]);
        }
    }

    /** Runs every session once; answers steps per second. */
    private static double round(ReferenceModel model, Operation[][] sessions) {
        Operation[] prologue = RealisticOps.prologue(model.edition());
        long steps = 0;
        long sink = 0;
        long start = System.nanoTime();
        long startCpu = CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() : 0;
        for (Operation[] ops : sessions) {
            ModelState state = model.initial();
            for (Operation op : prologue) {
                Expectation x = model.expect(state, op);
                state = x.next(x.example());
                steps++;
            }
            for (Operation op : ops) {
                Expectation x = model.expect(state, op);
                Observation o = x.example();
                state = x.next(o);
                sink += o.hashCode();
                steps++;
            }
        }
        long elapsed = CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() - startCpu : System.nanoTime() - start;
        if (sink == 42) System.out.print("");
        return steps * 1e9 / elapsed;
    }
}
