package dev.gmem.suite;

import dev.gmem.api.outcome.Step;
import dev.gmem.property.PropertyFailure;

import java.util.List;

/** A clause does not hold on a target: the operations that show it, each with expected and seen. */
public final class SequenceFailure extends PropertyFailure {
    private final List<Step> steps;
    private String message;

    public SequenceFailure(String key, String what, List<Step> steps) {
        this(key, what, steps, List.of());
    }

    /** {@code slices}: the choice positions of the steps the failure depends on, the tightest first ({@link dev.gmem.property.PropertyFailure#slices}). */
    public SequenceFailure(String key, String what, List<Step> steps, List<int[]> slices) {
        super(key, what, slices);
        this.steps = List.copyOf(steps);
    }

    /** What failed and every step, rendered when first read: a shrinker trying thousands of failures reads few. */
    @Override
    public String getMessage() {
        if (message == null) message = super.getMessage() + "\n" + StepLines.render(steps);
        return message;
    }

    public List<Step> steps() {
        return steps;
    }
}
