package dev.gmem.model;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every answer a set of threads may give when they run at once from one state, by the model: the
 * answers of each interleaving of the threads' operations (thread order kept, real time not
 * known), as one row per interleaving, thread 0's answers first. A successful pin is written
 * {@code Pinned(0)} whatever its number (a program that pins knows no number). Used where the
 * check must be made without the model at hand: the table a concurrent C reproducer compares its
 * rounds to.
 */
public final class Interleavings {
    /** More rows than this: too many for a table. */
    public static final int MAX_ROWS = 4096;

    private Interleavings() {
    }

    /**
     * The rows; throws IllegalArgumentException with one line when the model leaves a choice at
     * some step (content it does not promise, a transient refusal): a table of examples would then
     * call an allowed answer an anomaly.
     */
    public static Set<List<Observation>> outcomes(ReferenceModel model, ModelState start, List<List<Operation>> threads) {
        Set<List<Observation>> rows = new LinkedHashSet<>();
        int[] at = new int[threads.size()];
        Observation[][] answers = new Observation[threads.size()][];
        for (int t = 0; t < threads.size(); t++) answers[t] = new Observation[threads.get(t).size()];
        walk(model, start, threads, at, answers, rows);
        return rows;
    }

    private static void walk(ReferenceModel model, ModelState state, List<List<Operation>> threads, int[] at,
                             Observation[][] answers, Set<List<Observation>> rows) {
        boolean done = true;
        for (int t = 0; t < threads.size(); t++) {
            if (at[t] == threads.get(t).size()) continue;
            done = false;
            Operation op = threads.get(t).get(at[t]);
            Expectation e = model.expect(state, op);
            if (!(e instanceof ExactExpectation)) {
                throw new IllegalArgumentException("the model leaves a choice at " + op + " (" + e.describe() + ")");
            }
            Observation o = e.example();
            answers[t][at[t]] = o instanceof Observation.Pinned ? new Observation.Pinned(0) : o;
            at[t]++;
            walk(model, e.next(o), threads, at, answers, rows);
            at[t]--;
            if (rows.size() > MAX_ROWS) throw new IllegalArgumentException("more than " + MAX_ROWS + " interleavings");
        }
        if (done) {
            List<Observation> row = new ArrayList<>();
            for (Observation[] a : answers) row.addAll(Arrays.asList(a));
            rows.add(List.copyOf(row));
        }
    }
}
