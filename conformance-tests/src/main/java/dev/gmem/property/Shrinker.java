package dev.gmem.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Makes a failing test case smaller by editing its choices and running the property again: an
 * edit is kept when the property still fails with the same key and the choices the run used are
 * smaller (shorter, or as long and lexicographically lower). The first replay keeps only the
 * choices read up to the failure, which cuts everything after it at once. Then a ladder of passes,
 * back to the first after any that improved: the slices the failure says it depends on
 * ({@link PropertyFailure#slices}: for a sequence, the earlier operations the diverging step
 * touches as the model sees them, then those with the operations that shape how the generator
 * reads them), deleting runs of whole operations (halves, quarters, ... of the case), then the
 * generic passes: delete the choices of whole spans (one operation), of pairs of spans, short runs
 * of choices, zero spans, lower each choice (to zero, or by binary search), sort neighbours. The
 * cheap, coarse passes run again on every smaller case before the fine ones, which try the most
 * candidates: on a slow target (a kernel under emulation, 50-150 ms a run) that is what brings a
 * long case to its few operations within the default time. Until no pass improves or the
 * time (and, when set, the attempts) budget is spent; a candidate whose run would read a prefix an
 * earlier run read is not run again ({@link PrefixCache}). The passes run in a fixed order, so a
 * shrink that ends at its fixpoint gives the same result for the same seed; the statistics say
 * how it ended ({@link #END}).
 */
final class Shrinker {
    /** How many spans apart two spans deleted together may be. */
    private static final int PAIR_DISTANCE = 8;

    /** Edits the shrinker kept, per pass, in the statistics. */
    static final String KEPT = "shrink edits kept";
    /** Runs the shrinker tried, per pass, in the statistics. */
    static final String TRIED = "shrink attempts";
    /** Candidates not run because an earlier run read the same prefix, per pass. */
    static final String CACHED = "shrink runs saved by the prefix cache";
    /**
     * The run that first reached the result's length (its outermost spans: for a sequence, its
     * operations), labelled with the pass that did: later runs only simplified the values or showed
     * that nothing shorter fails (on a slow target, what decides whether the time suffices).
     */
    static final String LENGTH_AT = "shrink length reached at run";
    /** How the shrink ended: {@link End}. */
    static final String END = "shrink end";

    /** The shrinker's passes, in the order they run. */
    enum Pass { CUT_AFTER_FAILURE, SLICE, DELETE_CHUNKS, DELETE_SPANS, DELETE_SPAN_PAIRS, DELETE_RUNS, ZERO_SPANS, LOWER_VALUES, SORT_NEIGHBOURS }

    /** FIXPOINT: no pass could improve (the result does not depend on the budget); TIME, ATTEMPTS: a budget ran out. */
    enum End { FIXPOINT, TIME, ATTEMPTS, NOT_REPLAYED }

    private final Statistics statistics = new Statistics();
    private final PrefixCache cache = new PrefixCache();
    private Pass pass = Pass.CUT_AFTER_FAILURE;

    private final Property property;
    private final int maxAttempts;
    private final long deadline;
    private final boolean guided;
    private int attempts;
    private int lengthAt;
    private Pass lengthBy = Pass.CUT_AFTER_FAILURE;
    private int length = Integer.MAX_VALUE;

    private long[] best;
    private PropertyFailure bestFailure;
    private List<int[]> bestSpans;

    Shrinker(Property property, RunConfig config) {
        this.property = property;
        this.maxAttempts = config.shrinkAttempts();
        this.deadline = System.nanoTime() + config.shrinkTime().toNanos();
        this.guided = config.guidedShrinking();
    }

    PropertyResult.Counterexample shrink(PropertyResult.Counterexample original) {
        best = original.choices();
        bestFailure = original.failure();
        // the spans of the original are not kept: replay once to learn them (and cut what follows the failure)
        if (!tryChoices(best)) {
            // a failure that does not replay (should not happen with a deterministic target)
            statistics.count(END, End.NOT_REPLAYED.name());
            return original;
        }
        // a ladder: after any pass that improved, back to the first (the slice of the new failure, then
        // whole operations), so the fine passes, which try the most candidates, run on the smallest case
        boolean improved = true;
        while (improved && budgetLeft()) {
            improved = (guided && run(Pass.SLICE, this::slice)) || run(Pass.DELETE_CHUNKS, this::deleteChunks)
                    || run(Pass.DELETE_SPANS, this::deleteSpans)
                    || run(Pass.DELETE_SPAN_PAIRS, this::deleteSpanPairs)
                    || run(Pass.DELETE_RUNS, this::deleteRuns) || run(Pass.ZERO_SPANS, this::zeroSpans)
                    || run(Pass.LOWER_VALUES, this::lowerValues) || run(Pass.SORT_NEIGHBOURS, this::sortNeighbours);
        }
        End end = !improved ? End.FIXPOINT : attempts >= maxAttempts ? End.ATTEMPTS : End.TIME;
        statistics.count(END, end.name());
        statistics.add(LENGTH_AT, lengthBy.name(), lengthAt);
        return new PropertyResult.Counterexample(best, bestFailure);
    }

    private boolean run(Pass p, BooleanSupplier body) {
        pass = p;
        return body.getAsBoolean();
    }

    /** Per pass: the runs tried ({@link #TRIED}), the edits kept ({@link #KEPT}), the runs saved ({@link #CACHED}). */
    Statistics statistics() {
        return statistics;
    }

    private boolean budgetLeft() {
        return attempts < maxAttempts && System.nanoTime() < deadline;
    }

    /** Runs the property on {@code candidate}; keeps it when it fails the same way and is not larger. */
    private boolean tryChoices(long[] candidate) {
        return tryChoices(candidate, null);
    }

    /** As {@link #tryChoices(long[])}; with {@code segments}, replayed span by span ({@link Choices#replayAligned}). */
    private boolean tryChoices(long[] candidate, int[] segments) {
        if (!budgetLeft()) return false;
        // the cache knows runs that read their choices in order: an aligned replay may skip some
        if (segments == null && pass != Pass.CUT_AFTER_FAILURE && cache.covers(candidate)) {
            statistics.count(CACHED, pass.name());
            return false;
        }
        attempts++;
        Progress.shrinking(attempts, bestSpans == null ? 0 : bestSpans.size());
        statistics.count(TRIED, pass.name());
        Choices choices = segments == null ? Choices.replay(candidate) : Choices.replayAligned(candidate, segments);
        PropertyRunner.Execution e = PropertyRunner.execute(property, choices);
        long[] used = choices.recorded();
        cache.add(used);
        if (!e.failed() || !e.failure.key().equals(bestFailure.key())) return false;
        if (best != null && compare(used, best) > 0) return false;
        boolean smaller = best == null || compare(used, best) < 0 || bestSpans == null;
        best = used;
        bestFailure = e.failure;
        bestSpans = new ArrayList<>(choices.spans());
        if (smaller && pass != Pass.CUT_AFTER_FAILURE) statistics.count(KEPT, pass.name());
        int outer = outermost(bestSpans).size();
        if (outer < length) {
            length = outer;
            lengthAt = attempts;
            lengthBy = pass;
        }
        return smaller;
    }

    /**
     * The failure's own slices, the tightest first, until one fails the same way: every outermost
     * span holding none of the positions a slice depends on is deleted at once (for a sequence:
     * every operation the diverging step does not depend on).
     */
    private boolean slice() {
        for (int[] keep : bestFailure.slices()) {
            if (keep.length > 0 && slice(keep)) return true;
        }
        return false;
    }

    private boolean slice(int[] keep) {
        List<int[]> outer = outermost(bestSpans);
        boolean[] dropped = new boolean[outer.size()];
        boolean any = false;
        for (int i = 0; i < outer.size(); i++) {
            dropped[i] = outer.get(i)[1] <= best.length && !holdsAny(outer.get(i), keep);
            any |= dropped[i];
        }
        return any && tryWithout(outer, dropped);
    }

    /**
     * Deletes runs of consecutive operations (outermost spans) at once, halving the run's length
     * from half the case down to two, the last operation (the failure) never among them: most of a
     * long case is unrelated to its failure, and a run costs one candidate where single deletions
     * cost one per operation. Replayed aligned, so the operations kept read their own choices.
     */
    private boolean deleteChunks() {
        List<int[]> outer = outermost(bestSpans);
        int n = outer.size() - 1;
        for (int size = n / 2; size >= 2; size /= 2) {
            for (int from = n - size; from >= 0; from -= size) {
                boolean[] dropped = new boolean[outer.size()];
                Arrays.fill(dropped, from, from + size, true);
                if (outer.get(from + size - 1)[1] <= best.length && tryWithout(outer, dropped)) return true;
            }
        }
        return false;
    }

    /** Runs the case without the outermost spans {@code dropped} marks, each kept span read by its own generator call. */
    private boolean tryWithout(List<int[]> outer, boolean[] dropped) {
        boolean[] drop = new boolean[best.length];
        List<int[]> kept = new ArrayList<>();
        for (int i = 0; i < outer.size(); i++) {
            int[] s = outer.get(i);
            if (s[1] > best.length) continue;
            if (dropped[i]) Arrays.fill(drop, s[0], s[1], true);
            else kept.add(s);
        }
        long[] c = new long[best.length];
        int[] segments = new int[2 * kept.size()];
        int n = 0;
        int k = 0;
        for (int i = 0; i < best.length; i++) {
            if (k < kept.size() && kept.get(k)[0] == i) segments[2 * k] = n;
            if (!drop[i]) c[n++] = best[i];
            if (k < kept.size() && kept.get(k)[1] == i + 1) segments[2 * k++ + 1] = n;
        }
        // each kept operation reads its own choices, whatever the deleted ones changed in the state it sees
        return tryChoices(Arrays.copyOf(c, n), segments);
    }

    /** The spans no other span contains, in order. */
    private static List<int[]> outermost(List<int[]> spans) {
        List<int[]> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt((int[] s) -> s[0]).thenComparingInt(s -> -s[1]));
        List<int[]> out = new ArrayList<>();
        int end = -1;
        for (int[] s : sorted) {
            if (s[0] >= end) {
                out.add(s);
                end = s[1];
            }
        }
        return out;
    }

    private static boolean holdsAny(int[] span, int[] positions) {
        for (int p : positions) if (p >= span[0] && p < span[1]) return true;
        return false;
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
