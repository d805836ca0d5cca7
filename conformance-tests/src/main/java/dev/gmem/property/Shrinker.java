package dev.gmem.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Makes a failing test case smaller by editing its choices and running the property again: an
 * edit is kept when the property still fails with the same key and the choices the run used are
 * smaller (shorter, or as long and lexicographically lower). Passes: delete the choices of whole
 * spans (one operation), delete short runs of choices, zero spans, lower each choice (to zero, or
 * by binary search), sort neighbours. Repeats until no pass improves or the budget is spent.
 */
final class Shrinker {
    /** How many spans apart two spans deleted together may be. */
    private static final int PAIR_DISTANCE = 8;

    /** Edits the shrinker kept, per pass, in the statistics. */
    static final String KEPT = "shrink edits kept";
    /** Runs the shrinker tried, per pass, in the statistics. */
    static final String TRIED = "shrink attempts";

    /** The shrinker's passes, in the order each round runs them. */
    enum Pass { REPLAY, DELETE_SPANS, DELETE_SPAN_PAIRS, DELETE_RUNS, ZERO_SPANS, LOWER_VALUES, SORT_NEIGHBOURS }

    private final Statistics statistics = new Statistics();
    private Pass pass = Pass.REPLAY;

    private final Property property;
    private final int maxAttempts;
    private final long deadline;
    private int attempts;

    private long[] best;
    private PropertyFailure bestFailure;
    private List<int[]> bestSpans;

    Shrinker(Property property, RunConfig config) {
        this.property = property;
        this.maxAttempts = config.shrinkAttempts();
        this.deadline = System.nanoTime() + config.shrinkTime().toNanos();
    }

    PropertyResult.Counterexample shrink(PropertyResult.Counterexample original) {
        best = original.choices();
        bestFailure = original.failure();
        // the spans of the original are not kept: replay once to learn them
        if (!tryChoices(best)) {
            // a failure that does not replay (should not happen with a deterministic target)
            return original;
        }
        boolean improved = true;
        while (improved && budgetLeft()) {
            improved = run(Pass.DELETE_SPANS, this::deleteSpans) | run(Pass.DELETE_SPAN_PAIRS, this::deleteSpanPairs)
                    | run(Pass.DELETE_RUNS, this::deleteRuns) | run(Pass.ZERO_SPANS, this::zeroSpans)
                    | run(Pass.LOWER_VALUES, this::lowerValues) | run(Pass.SORT_NEIGHBOURS, this::sortNeighbours);
        }
        return new PropertyResult.Counterexample(best, bestFailure);
    }

    private boolean run(Pass p, BooleanSupplier body) {
        pass = p;
        return body.getAsBoolean();
    }

    /** Per pass: the runs tried ({@link #TRIED}) and the edits kept ({@link #KEPT}). */
    Statistics statistics() {
        return statistics;
    }

    private boolean budgetLeft() {
        return attempts < maxAttempts && System.nanoTime() < deadline;
    }

    /** Runs the property on {@code candidate}; keeps it when it fails the same way and is not larger. */
    private boolean tryChoices(long[] candidate) {
        if (!budgetLeft()) return false;
        attempts++;
        statistics.count(TRIED, pass.name());
        Choices choices = Choices.replay(candidate);
        PropertyRunner.Execution e = PropertyRunner.execute(property, choices);
        if (!e.failed() || !e.failure.key().equals(bestFailure.key())) return false;
        long[] used = choices.recorded();
        if (best != null && compare(used, best) > 0) return false;
        boolean smaller = best == null || compare(used, best) < 0 || bestSpans == null;
        best = used;
        bestFailure = e.failure;
        bestSpans = new ArrayList<>(choices.spans());
        if (smaller && pass != Pass.REPLAY) statistics.count(KEPT, pass.name());
        return smaller;
    }

    private boolean deleteSpans() {
        boolean any = false;
        List<int[]> spans = new ArrayList<>(bestSpans);
        spans.sort(Comparator.comparingInt((int[] s) -> s[1] - s[0]).reversed());
        for (int[] s : spans) {
            if (s[1] > best.length) continue;
            if (tryChoices(remove(best, s[0], s[1]))) {
                any = true;
            }
        }
        return any;
    }

    /** Deletes two nearby spans at once: a later step often depends on an earlier one (a pop on a push). */
    private boolean deleteSpanPairs() {
        boolean any = false;
        List<int[]> spans = new ArrayList<>(bestSpans);
        spans.sort(Comparator.comparingInt((int[] s) -> s[0]));
        for (int i = spans.size() - 1; i >= 0; i--) {
            for (int j = Math.min(spans.size() - 1, i + PAIR_DISTANCE); j > i; j--) {
                int[] a = spans.get(i);
                int[] b = spans.get(j);
                if (a[1] > b[0] || b[1] > best.length) continue;
                if (tryChoices(remove(remove(best, b[0], b[1]), a[0], a[1]))) {
                    return true;
                }
            }
        }
        return any;
    }

    private boolean deleteRuns() {
        boolean any = false;
        for (int k : new int[] {8, 4, 2, 1}) {
            for (int i = best.length - k; i >= 0; i--) {
                if (i + k <= best.length && tryChoices(remove(best, i, i + k))) any = true;
            }
        }
        return any;
    }

    private boolean zeroSpans() {
        boolean any = false;
        for (int[] s : new ArrayList<>(bestSpans)) {
            if (s[1] > best.length) continue;
            boolean allZero = true;
            for (int i = s[0]; i < s[1]; i++) allZero &= best[i] == 0;
            if (allZero) continue;
            long[] c = best.clone();
            Arrays.fill(c, s[0], s[1], 0);
            if (tryChoices(c)) any = true;
        }
        return any;
    }

    private boolean lowerValues() {
        boolean any = false;
        for (int i = 0; i < best.length; i++) {
            long v = best[i];
            if (v == 0) continue;
            if (tryChoices(with(best, i, 0))) {
                any = true;
                continue;
            }
            // binary search the lowest value that still fails, assuming failure is monotone near v
            long lo = 0;
            long hi = v;
            while (lo + 1 < hi && i < best.length && budgetLeft()) {
                long mid = lo + (hi - lo) / 2;
                if (tryChoices(with(best, i, mid))) {
                    hi = mid;
                    any = true;
                } else {
                    lo = mid;
                }
            }
        }
        return any;
    }

    private boolean sortNeighbours() {
        boolean any = false;
        for (int i = 0; i + 1 < best.length; i++) {
            if (best[i] > best[i + 1]) {
                long[] c = best.clone();
                c[i] = best[i + 1];
                c[i + 1] = best[i];
                if (tryChoices(c)) any = true;
            }
        }
        return any;
    }

    private static long[] remove(long[] a, int from, int to) {
        long[] out = new long[a.length - (to - from)];
        System.arraycopy(a, 0, out, 0, from);
        System.arraycopy(a, to, out, from, a.length - to);
        return out;
    }

    private static long[] with(long[] a, int i, long v) {
        if (i >= a.length) return a;
        long[] c = a.clone();
        c[i] = v;
        return c;
    }

    /** Shortlex: shorter first, then lexicographically by unsigned value. */
    static int compare(long[] a, long[] b) {
        if (a.length != b.length) return Integer.compare(a.length, b.length);
        return Arrays.compareUnsigned(a, b);
    }
}
