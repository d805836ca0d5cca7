package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Writes {@code summary.md}, {@code summary.json} and {@code results.ktap} of everything decided, at the run's end. */
public final class ComplianceReportWriter implements OutcomeListener {
    private RunPlan plan;
    private final List<ClauseOutcome> outcomes = new ArrayList<>();

    @Override
    public void runStarted(RunPlan plan) {
        this.plan = plan;
        outcomes.clear();
    }

    @Override
    public void itemDecided(ClauseOutcome outcome) {
        outcomes.add(outcome);
    }

    @Override
    public void runFinished(RunEnd end) {
        try {
            ComplianceReports.write(new RunReport(plan.kernelRelease(), plan.seed(), plan.facts(), outcomes), plan.results());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the compliance reports into " + plan.results() + ": " + e.getMessage(), e);
        }
    }
}
