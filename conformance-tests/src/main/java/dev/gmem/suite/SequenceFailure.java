package dev.gmem.suite;

import dev.gmem.api.outcome.Step;
import dev.gmem.property.PropertyFailure;

import java.util.List;

/** A clause does not hold on a target: the operations that show it, each with expected and seen. */
public final class SequenceFailure extends PropertyFailure {
    private final List<Step> steps;

    public SequenceFailure(String key, String what, List<Step> steps) {
        super(key, what + "\n" + StepLines.render(steps));
        this.steps = List.copyOf(steps);
    }

    public List<Step> steps() {
        return steps;
    }
}
