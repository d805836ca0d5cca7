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
import java.util.Set;

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
    /**
     * Event sets seen, by identity, and how often: the model shares its usual sets, so a step counts
     * one without iterating it; each is iterated once, in {@link #countInto}. When all are taken, a
     * step's events go straight into {@code eventCounts}.
     */
    private final Set<?>[] eventSets = new Set<?>[16];
    private final long[] eventSetCounts = new long[16];
    private int eventSetCount;
    /** Observation types seen, in order of first sight, and how often (a handful per test case). */
    private Class<?>[] observationTypes = new Class<?>[8];
    private long[] observationCounts = new long[8];
    private int observationTypeCount;
    /**
     * Time in the model's expectation and check and in the target's answer: summed over the first
     * {@link #EXACT_STEPS} steps, and over the steps sampled after them ({@link #timesStep}).
     */
    private long modelNanos;
    private long targetNanos;
    private long sampledModelNanos;
    private long sampledTargetNanos;
    private int sampledSteps;

    /** Steps timed one by one: short test cases (most clauses', every shrinking run's) are timed whole. */
    private static final int EXACT_STEPS = 16;
    /**
     * After them one step in this many is timed, and the others' time estimated from it: on the
     * model target the four clock reads of a timed step were about a seventh of it (2026-12-02).
     */
    private static final int SAMPLE_EVERY = 4;

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
        countEvents(expected.events());
        countObservation(observed.getClass());
    }

    private void countEvents(Set<ModelEvent> events) {
        for (int i = 0; i < eventSetCount; i++) {
            if (eventSets[i] == events) {
                eventSetCounts[i]++;
                return;
            }
        }
        if (eventSetCount < eventSets.length) {
            eventSets[eventSetCount] = events;
            eventSetCounts[eventSetCount++] = 1;
        } else {
            for (ModelEvent e : events) eventCounts[e.ordinal()]++;
        }
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

    /** Whether the step about to be added is one whose time is measured. */
    boolean timesStep() {
        return size < EXACT_STEPS || (size - EXACT_STEPS) % SAMPLE_EVERY == 0;
    }

    /** The measured time of the step about to be added ({@link #timesStep}). */
    void timed(long modelNanos, long targetNanos) {
        if (size < EXACT_STEPS) {
            this.modelNanos += modelNanos;
            this.targetNanos += targetNanos;
        } else {
            sampledModelNanos += modelNanos;
            sampledTargetNanos += targetNanos;
            sampledSteps++;
        }
    }

    /** The time of the steps after the exact ones, estimated from the sampled ones. */
    private long estimated(long sampledNanos) {
        if (sampledSteps == 0) return 0;
        return Math.round(sampledNanos * ((double) (size - EXACT_STEPS) / sampledSteps));
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
     * The choice positions of the steps the last step depends on ({@link Dependencies}): the
     * shrinker's first try is the test case of those steps alone.
     */
    int[] sliceOfLast() {
        if (size == 0) return new int[0];
        int[] steps = Dependencies.slice(Arrays.asList(before).subList(0, size), Arrays.asList(operations).subList(0, size),
                Arrays.asList(seen).subList(0, size), size - 1);
        return Arrays.stream(steps).map(i -> marks[i]).filter(m -> m >= 0).toArray();
    }

    /**
     * Adds the counts under {@link Checker#OPERATIONS}, {@link Checker#OBSERVATIONS} and
     * {@link Checker#EVENTS}, and the time under {@link Checker#MODEL_CHECK} and {@link Checker#TARGET}.
     */
    void countInto(Statistics statistics) {
        for (int i = 0; i < eventSetCount; i++) {
            for (Object e : eventSets[i]) eventCounts[((ModelEvent) e).ordinal()] += eventSetCounts[i];
            eventSets[i] = null;
        }
        eventSetCount = 0;
        for (int i = 0; i < KINDS.length; i++) {
            if (kindCounts[i] > 0) statistics.add(Checker.OPERATIONS, KINDS[i].name(), kindCounts[i]);
        }
        for (int i = 0; i < observationTypeCount; i++) {
            statistics.add(Checker.OBSERVATIONS, observationTypes[i].getSimpleName(), observationCounts[i]);
        }
        for (int i = 0; i < EVENTS.length; i++) {
            if (eventCounts[i] > 0) statistics.add(Checker.EVENTS, EVENTS[i].name(), eventCounts[i]);
        }
        statistics.addNanos(Checker.MODEL_CHECK, modelNanos + estimated(sampledModelNanos));
        statistics.addNanos(Checker.TARGET, targetNanos + estimated(sampledTargetNanos));
    }
}
