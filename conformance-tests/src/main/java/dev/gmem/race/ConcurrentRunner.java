package dev.gmem.race;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link ConcurrentCase} once on a session: the prefix one operation at a time, each answer
 * checked against the model; then one thread per script, started together on a barrier, each
 * waiting a short random time before each step (from the run's seed) so that runs interleave
 * differently. Each call records {@link System#nanoTime} at invocation and at completion; within a
 * thread an invocation is always stamped strictly after the previous completion.
 */
public final class ConcurrentRunner {
    /** Longest wait before a step: about the racy windows of the targets tested, so that steps land in them. */
    static final long MAX_DELAY_NANOS = 1_500_000;
    /** A thread still running after this hangs the run. */
    static final long THREAD_TIMEOUT_MILLIS = 20_000;

    private ConcurrentRunner() {
    }

    /** The run did not get to a concurrent history: the prefix diverged from the model, or a thread hung. */
    public static final class Aborted extends RuntimeException {
        Aborted(String message) {
            super(message, null, false, false);
        }
    }

    /** The prefix's answers and the model's state after them. */
    public record Prefix(List<Observation> answers, ModelState state) {
        public Prefix {
            answers = List.copyOf(answers);
        }
    }

    public static History run(Session session, ReferenceModel model, ConcurrentCase c, long runSeed) {
        return threads(session, c, prefix(session, model, c), runSeed);
    }

    /** Runs the prefix, each answer checked against the model. */
    public static Prefix prefix(Session session, ReferenceModel model, ConcurrentCase c) {
        ModelState state = model.initial();
        List<Observation> answers = new ArrayList<>();
        int n = 1;
        for (Operation op : c.prefix()) {
            Expectation e = model.expect(state, op);
            Observation seen = apply(session, op);
            if (!e.allows(seen)) {
                throw new Aborted("prefix step " + n + " " + Notation.of(op) + " answered " + seen
                        + " where the model allows " + e.describe());
            }
            state = e.next(seen);
            answers.add(seen);
            n++;
        }
        return new Prefix(answers, state);
    }

    /** Runs the threads at once after {@code prefix} ran. */
    public static History threads(Session session, ConcurrentCase c, Prefix prefix, long runSeed) {
        int threads = c.threads().size();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<List<Call>> perThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(runSeed);
        for (int t = 0; t < threads; t++) {
            List<Call> out = new ArrayList<>();
            perThread.add(out);
            int thread = t;
            SplittableRandom delays = seeds.split();
            ThreadScript script = c.threads().get(t);
            Thread w = new Thread(() -> runThread(session, thread, script, start, delays, out), "race-" + t);
            w.setDaemon(true);
            workers.add(w);
        }
        workers.forEach(Thread::start);
        long deadline = System.currentTimeMillis() + THREAD_TIMEOUT_MILLIS;
        for (int t = 0; t < threads; t++) {
            try {
                workers.get(t).join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Aborted("interrupted while waiting for thread " + t);
            }
            if (workers.get(t).isAlive()) {
                workers.forEach(Thread::interrupt);
                throw new Aborted("thread " + t + " did not finish within " + THREAD_TIMEOUT_MILLIS + " ms");
            }
        }
        List<Call> calls = new ArrayList<>();
        for (List<Call> l : perThread) calls.addAll(l);
        return new History(c.prefix(), prefix.answers(), prefix.state(), c.roles(), calls);
    }

    private static void runThread(Session session, int thread, ThreadScript script, CyclicBarrier start,
                                  SplittableRandom delays, List<Call> out) {
        try {
            start.await(THREAD_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
            return;
        }
        List<Observation> earlier = new ArrayList<>();
        long last = Long.MIN_VALUE;
        int index = 0;
        for (Step step : script.steps()) {
            if (delays.nextInt(3) != 0) LockSupport.parkNanos(delays.nextLong(MAX_DELAY_NANOS));
            Operation op = step.resolve(earlier);
            long invoked = System.nanoTime();
            while (invoked <= last) invoked = System.nanoTime();
            Observation seen = apply(session, op);
            long completed = System.nanoTime();
            last = completed;
            earlier.add(seen);
            out.add(new Call(thread, index++, op, seen, invoked, completed));
        }
    }

    private static Observation apply(Session session, Operation op) {
        try {
            return session.apply(op);
        } catch (RuntimeException e) {
            return new Observation.OtherExit("the target threw " + e);
        }
    }
}
