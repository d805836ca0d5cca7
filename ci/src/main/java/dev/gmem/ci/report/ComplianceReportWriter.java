package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code summary.md}, {@code summary.txt}, {@code summary.json}, {@code results.ktap},
 * {@code junit.xml} and {@code kcidb.json} of the run: when it starts, after each decided item and at
 * its end, so that at any moment (a kill included) they hold this run's outcomes so far and say
 * {@code INTERRUPTED after N of M} until every planned item is decided.
 */
public final class ComplianceReportWriter implements OutcomeListener {
    private RunPlan plan;
    private final List<ClauseOutcome> outcomes = new ArrayList<>();

    @Override
    public void runStarted(RunPlan plan) {
        this.plan = plan;
        outcomes.clear();
        write(RunEnd.of(plan, 0));
    }

    @Override
    public void itemDecided(ClauseOutcome outcome) {
        outcomes.add(outcome);
        write(RunEnd.of(plan, outcomes.size()));
    }

    @Override
    public void runFinished(RunEnd end) {
        write(end);
    }

    private void write(RunEnd end) {
        try {
            RunReport run = new RunReport(plan, outcomes, end);
            ComplianceReports.write(run, plan.results());
            Kcidb.write(run);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the compliance reports into " + plan.results() + ": " + e.getMessage(), e);
        }
    }
}
