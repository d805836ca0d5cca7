package dev.gmem.race;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a concurrent history is linearizable against the reference model: whether some
 * order of its calls, consistent with real-time order (a call that completed before another was
 * invoked comes first), explains every observation as one the model allows from the state after
 * the prefix. Wing and Gong's search over the calls that may go next, with Lowe's memoisation of
 * (calls linearized, model state) pairs already explored, run per independent part of the state
 * ({@link Partitions}). The model is asked with the calls overlapping each call in flight, so that
 * choices the contract leaves to timing are allowed ({@link ReferenceModel#expectRacing}).
 *
 * <p>Pin handles are compared up to renaming: a target numbers a pin when its system call has
 * returned, so two racing pins may be numbered in the other order than the model's linearization
 * gives them. A successful pin matches the model's successful pin whatever its number; the search
 * remembers which model handle each observed one stands for and renames later unpins. The numbers
 * themselves must still be a target's: unique, and in real-time order where pins did not overlap.
 */
public final class Linearizability {
    /** Search steps after which a sub-history counts as undecided (never a pass). */
    static final long DEFAULT_STEP_LIMIT = 5_000_000;

    private Linearizability() {
    }

    public static Verdict check(ReferenceModel model, ModelState start, List<Call> calls) {
        return check(model, start, calls, DEFAULT_STEP_LIMIT);
    }

    static Verdict check(ReferenceModel model, ModelState start, List<Call> calls, long stepLimit) {
        Verdict numbering = pinNumbering(start, calls);
        if (numbering != null) return numbering;
        long steps = 0;
        for (List<Call> part : Partitions.of(start, calls)) {
            Search s = new Search(model, start, part, stepLimit);
            Verdict v = s.run();
            steps += s.steps;
            if (v.outcome() != Verdict.Outcome.LINEARIZABLE) return v.withSteps(steps);
        }
        return new Verdict(Verdict.Outcome.LINEARIZABLE, List.of(), List.of(), List.of(), steps);
    }

    /** A verdict when two successful pins got the same handle, or handles against real-time order; else null. */
    private static Verdict pinNumbering(ModelState start, List<Call> calls) {
        List<Call> pins = new ArrayList<>();
        for (Call c : calls) if (c.observation() instanceof Observation.Pinned) pins.add(c);
        Set<Integer> held = new HashSet<>();
        for (ModelState.PinInfo p : start.livePins()) held.add(p.handle());
        for (Call a : pins) {
            int ha = ((Observation.Pinned) a.observation()).pin();
            if (held.contains(ha)) return badNumbering(a, a, "handle " + ha + " is already a live pin of the prefix");
            for (Call b : pins) {
                int hb = ((Observation.Pinned) b.observation()).pin();
                if (a != b && ha == hb) return badNumbering(a, b, "two pins got handle " + ha);
                if (a.precedes(b) && ha > hb) {
                    return badNumbering(a, b, "pin #" + ha + " completed before pin #" + hb + " began");
                }
            }
        }
        return null;
    }

    private static Verdict badNumbering(Call a, Call b, String why) {
        List<Call> part = a == b ? List.of(a) : List.of(a, b);
        return new Verdict(Verdict.Outcome.NOT_LINEARIZABLE, part, List.of(), List.of("pin handles: " + why), 0);
    }

    /** The search on one sub-history. */
    private static final class Search {
        private final ReferenceModel model;
        private final ModelState start;
        private final Call[] calls;
        private final List<List<Operation>> inFlight = new ArrayList<>();
        private final long stepLimit;
        long steps;

        // the entries (invocation 2i, completion 2i+1 of call i) in time order, as a doubly linked list
        private final int[] next;
        private final int[] prev;
        private final int head;

        private int[] deepest = new int[0];
        private ModelState deepestState;
        private int[] deepestRename;

        /** Observed pin handles the threads were given: renamed when their pin is linearized. */
        private final java.util.Map<Integer, Integer> renamed = new java.util.HashMap<>();

        Search(ReferenceModel model, ModelState start, List<Call> part, long stepLimit) {
            this.model = model;
            this.start = start;
            this.calls = part.toArray(new Call[0]);
            this.stepLimit = stepLimit;
            for (Call c : calls) {
                if (c.observation() instanceof Observation.Pinned p && !renamed.containsKey(p.pin())) {
                    renamed.put(p.pin(), renamed.size());
                }
            }
            for (Call c : calls) {
                List<Operation> overlapping = new ArrayList<>();
                for (Call d : calls) if (d != c && d.overlaps(c)) overlapping.add(d.operation());
                inFlight.add(overlapping);
            }
            int n = calls.length;
            Integer[] order = new Integer[2 * n];
            for (int i = 0; i < 2 * n; i++) order[i] = i;
            // by time; at equal times invocations first, so that equal stamps count as overlapping
            Arrays.sort(order, Comparator.<Integer>comparingLong(e -> time(e)).thenComparingInt(e -> e & 1));
            head = 2 * n;
            next = new int[2 * n + 1];
            prev = new int[2 * n + 1];
            int last = head;
            for (int e : order) {
                next[last] = e;
                prev[e] = last;
                last = e;
            }
            next[last] = -1;
        }

        private long time(int entry) {
            Call c = calls[entry >> 1];
            return (entry & 1) == 0 ? c.invoked() : c.completed();
        }

        private void lift(int call) {
            for (int e : new int[] {2 * call, 2 * call + 1}) {
                next[prev[e]] = next[e];
                if (next[e] >= 0) prev[next[e]] = prev[e];
            }
        }

        private void unlift(int call) {
            for (int e : new int[] {2 * call + 1, 2 * call}) {
                next[prev[e]] = e;
                if (next[e] >= 0) prev[next[e]] = e;
            }
        }

        /** The call's operation with its pin handle renamed to the model's ({@code rename}: slot per observed handle, -1 unknown). */
        private Operation operation(Call c, int[] rename) {
            if (c.operation() instanceof Operation.Unpin u) {
                Integer slot = renamed.get(u.pin());
                if (slot != null) return new Operation.Unpin(rename[slot] >= 0 ? rename[slot] : Step.NO_PIN);
            }
            return c.operation();
        }

        /** What the call answered, its pin handle renamed to the one the model gives, if the model pins too. */
        private static Observation observation(Call c, Expectation e) {
            if (c.observation() instanceof Observation.Pinned && e.example() instanceof Observation.Pinned m && e.allows(m)) return m;
            return c.observation();
        }

        Verdict run() {
            int n = calls.length;
            Set<Memo> seen = new HashSet<>();
            int[] rename = new int[renamed.size()];
            Arrays.fill(rename, -1);
            int[] stackRename = new int[n];
            long[] linearized = new long[(n + 63) / 64];
            int[] stackCall = new int[n];
            ModelState[] stackState = new ModelState[n];
            int depth = 0;
            ModelState state = start;
            deepestState = start;
            deepestRename = rename;
            int entry = next[head];
            while (next[head] >= 0) {
                if (++steps > stepLimit) return verdict(Verdict.Outcome.UNDECIDED);
                if ((entry & 1) == 0) {
                    int call = entry >> 1;
                    Call c = calls[call];
                    Expectation e = model.expectRacing(state, operation(c, rename), inFlight.get(call));
                    Observation seenAs = observation(c, e);
                    if (e.allows(seenAs)) {
                        ModelState after = e.next(seenAs);
                        long[] bits = linearized.clone();
                        bits[call >> 6] |= 1L << call;
                        int slot = c.observation() instanceof Observation.Pinned p && seenAs instanceof Observation.Pinned
                                ? renamed.get(p.pin()) : -1;
                        int[] renameAfter = rename;
                        if (slot >= 0) {
                            renameAfter = rename.clone();
                            renameAfter[slot] = ((Observation.Pinned) seenAs).pin();
                        }
                        if (seen.add(new Memo(bits, after, renameAfter))) {
                            stackCall[depth] = call;
                            stackState[depth] = state;
                            stackRename[depth] = slot;
                            depth++;
                            linearized = bits;
                            state = after;
                            rename = renameAfter;
                            lift(call);
                            if (depth > deepest.length) {
                                deepest = Arrays.copyOf(stackCall, depth);
                                deepestState = state;
                                deepestRename = rename;
                            }
                            entry = next[head];
                            continue;
                        }
                    }
                    entry = next[entry];
                } else {
                    // a completion before every pending call went: undo the last choice
                    if (depth == 0) return verdict(Verdict.Outcome.NOT_LINEARIZABLE);
                    depth--;
                    int call = stackCall[depth];
                    state = stackState[depth];
                    if (stackRename[depth] >= 0) {
                        rename = rename.clone();
                        rename[stackRename[depth]] = -1;
                    }
                    linearized = linearized.clone();
                    linearized[call >> 6] &= ~(1L << call);
                    unlift(call);
                    entry = next[2 * call];
                }
            }
            return new Verdict(Verdict.Outcome.LINEARIZABLE, List.of(), List.of(), List.of(), steps);
        }

        /** The failing sub-history, the longest order found, and why none of the calls that may go next fits. */
        private Verdict verdict(Verdict.Outcome outcome) {
            List<Call> order = new ArrayList<>();
            boolean[] placed = new boolean[calls.length];
            for (int i : deepest) {
                order.add(calls[i]);
                placed[i] = true;
            }
            List<String> stuck = new ArrayList<>();
            for (int i = 0; i < calls.length; i++) {
                if (placed[i]) continue;
                boolean minimal = true;
                for (int j = 0; j < calls.length && minimal; j++) {
                    if (!placed[j] && j != i && calls[j].precedes(calls[i])) minimal = false;
                }
                if (!minimal) continue;
                Call c = calls[i];
                Expectation e = model.expectRacing(deepestState, operation(c, deepestRename), inFlight.get(i));
                stuck.add("thread " + c.thread() + " step " + c.index() + ": " + Notation.of(c.operation()) + " answered "
                        + Notation.of(c.observation()) + "; next it may only answer " + e.describe());
            }
            return new Verdict(outcome, List.of(calls), order, stuck, steps);
        }
    }

    /** A node of the search: which calls are linearized, and the model state they lead to. */
    private record Memo(long[] linearized, ModelState state, int[] rename) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Memo m && Arrays.equals(linearized, m.linearized) && state.equals(m.state)
                    && Arrays.equals(rename, m.rename);
        }

        @Override
        public int hashCode() {
            return (Arrays.hashCode(linearized) * 31 + state.hashCode()) * 31 + Arrays.hashCode(rename);
        }
    }
}
