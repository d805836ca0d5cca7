package dev.gmem.race.bench;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ModelTarget;
import dev.gmem.model.ReferenceModel;
import dev.gmem.race.Call;
import dev.gmem.race.CaseGen;
import dev.gmem.race.ConcurrentCase;
import dev.gmem.race.Linearizability;
import dev.gmem.race.Mix;
import dev.gmem.race.Step;
import dev.gmem.race.ThreadScript;
import dev.gmem.race.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The linearizability checker's speed: histories decided per second for 4 threads and ~30
 * operations, and the largest history decided within 1 s. Histories are made by running the
 * threads' scripts against the model in a random order (so they are linearizable), then giving
 * each call an interval around its place in that order that overlaps about {@code 2 * OVERLAP}
 * other calls; a second set changes one observation (mostly no longer linearizable, so the search
 * must exhaust every order). Run with {@code mvn -q -o -pl conformance-tests -am -Prace-bench verify}.
 */
public final class CheckerBench {
    private static final int THREADS = 4;
    /** How many neighbours in the order each call's interval reaches on each side. */
    private static final int OVERLAP = 4;
    private static final Edition EDITION = Edition.INPLACE_V8;

    private CheckerBench() {
    }

    public static void main(String[] args) {
        ReferenceModel model = ReferenceModel.of(EDITION);
        CaseGen base = new CaseGen(EDITION, new ModelTarget(EDITION).capabilities(EDITION), Mix.ALL, THREADS, 7);
        System.out.printf(Locale.ROOT, "checker bench: %s, %d threads, intervals overlapping ~%d calls%n",
                EDITION.name(), THREADS, 2 * OVERLAP);
        for (boolean perturbed : new boolean[] {false, true}) {
            List<Sample> samples = new ArrayList<>();
            for (long seed = 0; samples.size() < 400; seed++) samples.add(history(model, base.exact(), seed, perturbed));
            for (int warm = 0; warm < 3; warm++) for (Sample s : samples) Linearizability.check(model, s.start, s.calls);
            long t = System.nanoTime();
            int rounds = 0;
            int rejected = 0;
            double ops = 0;
            while (System.nanoTime() - t < 3_000_000_000L) {
                for (Sample s : samples) {
                    if (!Linearizability.check(model, s.start, s.calls).linearizable()) rejected++;
                    ops += s.calls.size();
                }
                rounds++;
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            int decided = rounds * samples.size();
            System.out.printf(Locale.ROOT, "%-34s %9.0f histories/s  (%.1f operations each, %d%% not linearizable)%n",
                    perturbed ? "one observation changed:" : "linearizable (model's answers):", decided / seconds,
                    ops / decided, 100 * rejected / decided);
        }
        int largest = 0;
        long worstNanos = 0;
        for (int steps = 2; steps <= 400; steps += steps < 16 ? 2 : 8) {
            long worst = 0;
            for (long seed = 0; seed < 5; seed++) {
                for (boolean perturbed : new boolean[] {false, true}) {
                    Sample s = history(model, new CaseGen(EDITION, new ModelTarget(EDITION).capabilities(EDITION), Mix.ALL,
                            THREADS, steps).exact(), 1000 + seed, perturbed);
                    long t = System.nanoTime();
                    Linearizability.check(model, s.start, s.calls);
                    worst = Math.max(worst, System.nanoTime() - t);
                }
            }
            if (worst > 1_000_000_000L) break;
            largest = THREADS * steps;
            worstNanos = worst;
        }
        System.out.printf(Locale.ROOT, "largest history decided within 1 s: %d thread operations (worst of 10 took %.0f ms)%n",
                largest, worstNanos / 1e6);
    }

    private record Sample(ModelState start, List<Call> calls) {
    }

    /** A history of {@code gen}'s case run in a random order against the model, with overlapping intervals. */
    static Sample history(ReferenceModel model, CaseGen gen, long seed, boolean perturbed) {
        ConcurrentCase c = gen.generate(seed);
        SplittableRandom r = new SplittableRandom(seed * 7919 + 1);
        ModelState state = model.initial();
        for (Operation op : c.prefix()) {
            Expectation e = model.expect(state, op);
            state = e.next(e.example());
        }
        ModelState start = state;
        int threads = c.threads().size();
        int[] next = new int[threads];
        List<List<Observation>> earlier = new ArrayList<>();
        for (int t = 0; t < threads; t++) earlier.add(new ArrayList<>());
        List<int[]> order = new ArrayList<>();
        List<Operation> ops = new ArrayList<>();
        List<Observation> seen = new ArrayList<>();
        int left = c.operations() - c.prefix().size();
        while (left-- > 0) {
            int t;
            do {
                t = r.nextInt(threads);
            } while (next[t] >= c.threads().get(t).steps().size());
            ThreadScript script = c.threads().get(t);
            Step step = script.steps().get(next[t]);
            Operation op = step.resolve(earlier.get(t));
            Expectation e = model.expect(state, op);
            Observation o = e.example();
            state = e.next(o);
            earlier.get(t).add(o);
            order.add(new int[] {t, next[t]++});
            ops.add(op);
            seen.add(o);
        }
        if (perturbed && !seen.isEmpty()) {
            int i = r.nextInt(seen.size());
            seen.set(i, seen.get(i) instanceof Observation.Ok ? new Observation.Failed(dev.gmem.api.Errno.EINVAL) : Observation.Ok.INSTANCE);
        }
        long[] lastCompleted = new long[threads];
        java.util.Arrays.fill(lastCompleted, Long.MIN_VALUE);
        Call[] last = new Call[threads];
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            int t = order.get(i)[0];
            long point = 100L * i;
            long invoked = point - r.nextLong(100L * OVERLAP);
            long completed = point + r.nextLong(100L * OVERLAP) + 1;
            if (last[t] != null) {
                long prevEnd = Math.min(last[t].completed(), point - 1);
                Call prev = new Call(t, last[t].index(), last[t].operation(), last[t].observation(), last[t].invoked(),
                        Math.max(prevEnd, last[t].invoked()));
                calls.set(calls.indexOf(last[t]), prev);
                invoked = Math.max(invoked, prev.completed() + 1);
            }
            Call call = new Call(t, order.get(i)[1], ops.get(i), seen.get(i), invoked, completed);
            calls.add(call);
            last[t] = call;
        }
        return new Sample(start, calls);
    }
}
