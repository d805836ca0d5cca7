package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.ExitStatus;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run as the reports see it: its plan, what it decided, and how it ended (a killed run ends
 * "not completed": every report then says {@link RunEnd#interruption()}). The input of the compliance
 * summary, KTAP, the terminal table and the HTML report; nothing of another run is in it.
 */
public record RunReport(RunPlan plan, List<ClauseOutcome> outcomes, RunEnd end) {
    public RunReport {
        outcomes = List.copyOf(outcomes);
    }

    /** A run that decided everything it planned: the plan is what was decided, in order. */
    public static RunReport complete(RunPlan plan, List<ClauseOutcome> outcomes) {
        return new RunReport(plan, outcomes, RunEnd.of(plan, outcomes.size()));
    }

    /** {@code uname -r} of the machine the suite ran on. */
    public String kernelRelease() {
        return plan.kernelRelease();
    }

    public long seed() {
        return plan.seed();
    }

    public String kitVersion() {
        return plan.kitVersion();
    }

    /** Per target, what it detected (generations, capabilities, skip causes), in the run's order. */
    public Map<String, List<String>> facts() {
        return plan.facts();
    }

    /** {@code INTERRUPTED after N of M} when the run did not decide every planned item. */
    public Optional<String> interruption() {
        return end.interruption();
    }

    /** "complete", or {@link #interruption()}'s words. */
    String completion() {
        return interruption().orElse("complete");
    }

    public boolean interrupted() {
        return !end.completed();
    }

    /** The planned items without an outcome, in the plan's order. */
    public List<PlanItem> undecided() {
        Set<PlanItem> decided = new HashSet<>();
        for (ClauseOutcome o : outcomes) decided.add(new PlanItem(o.clauseId(), o.target(), o.edition()));
        return plan.items().stream().filter(i -> !decided.contains(i)).toList();
    }

    /**
     * The run's verdict as an exit status: interrupted (or a clause timed out) first, then a target
     * error (a clause left without a verdict because the target's apply threw), then failed, then passed.
     */
    public ExitStatus exitStatus() {
        if (interrupted() || outcomes.stream().anyMatch(o -> o.status() == Status.TIMED_OUT)) return ExitStatus.INTERRUPTED;
        if (outcomes.stream().anyMatch(o -> o.status() == Status.TARGET_ERROR)) return ExitStatus.CANNOT_RUN;
        return outcomes.stream().anyMatch(o -> o.status() == Status.FAILED) ? ExitStatus.FAILED : ExitStatus.PASSED;
    }
}
