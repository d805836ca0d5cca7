package dev.gmem.model;

import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.outcome.Answer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every answer a set of threads may give when they run at once from one state, by the model: one
 * row per interleaving of the threads' operations (thread order kept, real time not known) and
 * per choice the model leaves at a step, thread 0's answers first. Used where the check must be
 * made without the model at hand: the table a concurrent C reproducer compares its rounds to.
 *
 * <p>Real time not being known, every operation of another thread counts as in flight
 * ({@link ReferenceModel#expectRacing}): a torn read or a transient refusal is allowed wherever
 * some overlap could cause it, so a row may allow more than the checker would for one history,
 * never less. A step whose answer the model leaves open gets an open {@link Answer}; after a read
 * of bytes the model does not promise, the row goes on from the state before the read, so a
 * later read of the same bytes is not compared with it (each {@code why} says so).
 */
public final class Interleavings {
    /** More rows than this: too many for a table. */
    public static final int MAX_ROWS = 4096;

    private Interleavings() {
    }

    /** One way a step may go: its answer and the state after it. */
    private record Branch(Answer answer, ModelState next) {
    }

    /**
     * The rows; throws IllegalArgumentException with one line when there are more than
     * {@link #MAX_ROWS} or a step's answers take a form no row can state.
     */
    public static Set<List<Answer>> outcomes(ReferenceModel model, ModelState start, List<List<Operation>> threads) {
        Set<List<Answer>> rows = new LinkedHashSet<>();
        int[] at = new int[threads.size()];
        Answer[][] answers = new Answer[threads.size()][];
        for (int t = 0; t < threads.size(); t++) answers[t] = new Answer[threads.get(t).size()];
        walk(model, start, threads, at, answers, rows);
        return rows;
    }

    private static void walk(ReferenceModel model, ModelState state, List<List<Operation>> threads, int[] at,
                             Answer[][] answers, Set<List<Answer>> rows) {
        boolean done = true;
        for (int t = 0; t < threads.size(); t++) {
            if (at[t] == threads.get(t).size()) continue;
            done = false;
            Operation op = threads.get(t).get(at[t]);
            Expectation e = model.expectRacing(state, op, othersThan(t, threads));
            for (Branch b : branches(e, state, op)) {
                answers[t][at[t]] = b.answer();
                at[t]++;
                walk(model, b.next(), threads, at, answers, rows);
                at[t]--;
                if (rows.size() > MAX_ROWS) throw new IllegalArgumentException("more than " + MAX_ROWS + " rows of answers");
            }
        }
        if (done) {
            List<Answer> row = new ArrayList<>();
            for (Answer[] a : answers) row.addAll(Arrays.asList(a));
            rows.add(List.copyOf(row));
        }
    }

    private static List<Operation> othersThan(int thread, List<List<Operation>> threads) {
        List<Operation> out = new ArrayList<>();
        for (int t = 0; t < threads.size(); t++) if (t != thread) out.addAll(threads.get(t));
        return out;
    }

    private static List<Branch> branches(Expectation e, ModelState before, Operation op) {
        if (e instanceof ExactExpectation x) return List.of(exactly(x.observation(), x.after()));
        if (e instanceof EitherExpectation x) {
            List<Branch> out = new ArrayList<>(branches(x.first(), before, op));
            out.addAll(branches(x.second(), before, op));
            return out;
        }
        if (e instanceof RacingAnswer x) {
            List<Branch> out = new ArrayList<>(branches(x.base(), before, op));
            for (Observation o : x.extra()) out.add(exactly(o, x.unchanged()));
            return out;
        }
        if (e instanceof TransientRangeRefusal x) {
            List<Branch> out = new ArrayList<>(branches(x.outcome(), before, op));
            if (x.hypercall() != null) {
                out.add(exactly(x.hypercall(), x.refused()));
            } else {
                for (long p = 0; p < x.size(); p += GuestLayout.PAGE_SIZE) {
                    out.add(exactly(new Observation.Refused(Errno.EAGAIN, x.start() + p), x.refused()));
                }
            }
            return out;
        }
        if (e instanceof TornRead x) return List.of(new Branch(tornRead(x), x.base().after()));
        if (e instanceof UnknownBytesRead x) {
            return List.of(new Branch(new Answer.ReadOf(x.choices(), "a read of bytes the model does not promise ("
                    + x.describe() + "): any bytes there, and a later read of them is not compared with this one"), before));
        }
        if (e instanceof UnknownGuestValue x) {
            return List.of(new Branch(new Answer.GuestValueOf(x.known(), x.mask(), "a guest load of bytes the model does "
                    + "not promise: any bits outside mask 0x" + Long.toHexString(x.mask()) + ", and a later load of them is "
                    + "not compared with this one"), before));
        }
        if (e instanceof UndefinedGuestAccess x) {
            return List.of(new Branch(new Answer.Any("a guest access the contract says nothing about (" + x.describe()
                    + "): not checked"), x.state()));
        }
        if (e instanceof UnpredictedObservation x) {
            return List.of(new Branch(new Answer.Any(op + " answers what the model does not predict (" + x.describe()
                    + "): not checked"), x.state()));
        }
        throw new IllegalArgumentException("no row can state the answers the model allows " + op + " (" + e.describe() + ")");
    }

    private static Branch exactly(Observation o, ModelState next) {
        return new Branch(new Answer.Exactly(o instanceof Observation.Pinned ? new Observation.Pinned(0) : o), next);
    }

    /** Each byte: what the model holds there, or what a write in flight over it puts there. */
    private static Answer tornRead(TornRead x) {
        if (x.base().observation() instanceof Observation.GuestValue held) {
            long mask = 0;
            for (int i = 0; i < Long.BYTES; i++) if (!x.covered(x.offset() + i)) mask |= 0xffL << (8 * i);
            return new Answer.GuestValueOf(held.value(), mask, "a guest load racing a host write of its bytes may be torn: "
                    + "any bits outside mask 0x" + Long.toHexString(mask));
        }
        byte[] held = TornRead.bytes(x.base().observation());
        List<Answer.Choice> runs = new ArrayList<>();
        List<Integer> last = null;
        long length = 0;
        for (int i = 0; i < held.length; i++) {
            TreeSet<Integer> values = new TreeSet<>(List.of(held[i] & 0xff));
            long pos = x.offset() + i;
            for (InFlightWrite w : x.writes()) if (w.covers(pos)) values.add(w.byteAt(pos));
            List<Integer> now = List.copyOf(values);
            if (now.equals(last)) {
                length++;
                continue;
            }
            if (last != null) runs.add(new Answer.Choice(length, last));
            last = now;
            length = 1;
        }
        if (last != null) runs.add(new Answer.Choice(length, last));
        return new Answer.ReadOf(runs, "a host read racing a write may be torn: each byte as before or as written");
    }
}
