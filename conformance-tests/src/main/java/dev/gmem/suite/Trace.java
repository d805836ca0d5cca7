package dev.gmem.suite;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.model.Dependencies;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelEvent;
import dev.gmem.model.ModelState;
import dev.gmem.property.Statistics;
import dev.gmem.api.outcome.Step;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The steps of one test case as they are applied, kept cheaply: the operation, the model's
 * expectation and the observation, counted per kind in arrays. The steps as reports show them (with
 * the allowed set in words) and the statistics' labels are made only when asked for, which for a
 * passing test case is never for the steps and once for the counts.
 */
final class Trace {
    private static final OperationKind[] KINDS = OperationKind.values();
    private static final ModelEvent[] EVENTS = ModelEvent.values();

    private Operation[] operations = new Operation[16];
    private Expectation[] expectations = new Expectation[16];
    private Observation[] seen = new Observation[16];
    private ModelState[] before = new ModelState[16];
    /** Per step, the position of the last choice drawn before it was applied (-1: none). */
    private int[] marks = new int[16];
    private int divergedAt = -1;
    private int size;

    private final long[] kindCounts = new long[KINDS.length];
    private final long[] eventCounts = new long[EVENTS.length];
    /** Observation types seen, in order of first sight, and how often (a handful per test case). */
    private Class<?>[] observationTypes = new Class<?>[8];
    private long[] observationCounts = new long[8];
    private int observationTypeCount;
    /** Time in the model's expectation and in the target's answer, summed over the steps. */
    long modelNanos;
    long targetNanos;

    void add(ModelState state, int mark, Operation op, Expectation expected, Observation observed, boolean diverged) {
        if (size == operations.length) {
            operations = Arrays.copyOf(operations, size * 2);
            expectations = Arrays.copyOf(expectations, size * 2);
            seen = Arrays.copyOf(seen, size * 2);
            before = Arrays.copyOf(before, size * 2);
            marks = Arrays.copyOf(marks, size * 2);
        }
        operations[size] = op;
        expectations[size] = expected;
        seen[size] = observed;
        before[size] = state;
        marks[size] = mark;
        if (diverged && divergedAt < 0) divergedAt = size;
        size++;
        kindCounts[op.kind().ordinal()]++;
        for (ModelEvent e : expected.events()) eventCounts[e.ordinal()]++;
        countObservation(observed.getClass());
    }

    private void countObservation(Class<?> type) {
        for (int i = 0; i < observationTypeCount; i++) {
            if (observationTypes[i] == type) {
                observationCounts[i]++;
                return;
            }
        }
        if (observationTypeCount == observationTypes.length) {
            observationTypes = Arrays.copyOf(observationTypes, observationTypeCount * 2);
            observationCounts = Arrays.copyOf(observationCounts, observationTypeCount * 2);
        }
        observationTypes[observationTypeCount] = type;
        observationCounts[observationTypeCount++] = 1;
    }

    int size() {
        return size;
    }

    List<Step> steps() {
        List<Step> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Expectation x = expectations[i];
            out.add(new Step(operations[i], x.example(), x.describe(), seen[i], i == divergedAt));
        }
        return out;
    }

    /**
     * The choice positions of the steps the last step depends on ({@link Dependencies}), then the
     * same with the steps that shape how the generator reads the kept steps' choices
     * ({@link OperationGen#shapesLaterPicks}, {@link OperationGen#readsLastConversion}): the
     * shrinker's first try is the test case of those steps alone, its second the wider one. On a
     * real kernel the tight slice often replays as other operations (a dropped close makes a later
     * create's choices pick an operation on the file it left open).
     */
    List<int[]> slicesOfLast() {
        if (size == 0) return List.of();
        int[] steps = Dependencies.slice(Arrays.asList(before).subList(0, size), Arrays.asList(operations).subList(0, size),
                Arrays.asList(seen).subList(0, size), size - 1);
        boolean[] kept = new boolean[size];
        for (int i : steps) kept[i] = true;
        boolean[] wider = kept.clone();
        int lastConversion = -1;
        for (int i = 0; i < size; i++) {
            if (OperationGen.shapesLaterPicks(operations[i], seen[i])) wider[i] = true;
            if (wider[i] && lastConversion >= 0 && OperationGen.readsLastConversion(operations[i].kind())) {
                wider[lastConversion] = true;
            }
            if (operations[i] instanceof Operation.Convert && expectations[i].events().contains(ModelEvent.CONVERTED)) {
                lastConversion = i;
            }
        }
        int[] tight = positions(kept);
        int[] wide = positions(wider);
        return Arrays.equals(tight, wide) ? List.of(tight) : List.of(tight, wide);
    }

    private int[] positions(boolean[] steps) {
        int n = 0;
        int[] out = new int[size];
        for (int i = 0; i < size; i++) if (steps[i] && marks[i] >= 0) out[n++] = marks[i];
        return Arrays.copyOf(out, n);
    }

    /**
     * Adds the counts under {@link Checker#OPERATIONS}, {@link Checker#OBSERVATIONS} and
     * {@link Checker#EVENTS}, and the time under {@link Checker#MODEL_CHECK} and {@link Checker#TARGET}.
     */
    void countInto(Statistics statistics) {
        for (int i = 0; i < KINDS.length; i++) {
            if (kindCounts[i] > 0) statistics.add(Checker.OPERATIONS, KINDS[i].name(), kindCounts[i]);
        }
        for (int i = 0; i < observationTypeCount; i++) {
            statistics.add(Checker.OBSERVATIONS, observationTypes[i].getSimpleName(), observationCounts[i]);
        }
        for (int i = 0; i < EVENTS.length; i++) {
            if (eventCounts[i] > 0) statistics.add(Checker.EVENTS, EVENTS[i].name(), eventCounts[i]);
        }
        statistics.addNanos(Checker.MODEL_CHECK, modelNanos);
        statistics.addNanos(Checker.TARGET, targetNanos);
    }
}
