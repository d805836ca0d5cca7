package dev.gmem.ci.report;

import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes {@code run.json} (see {@link RunFacts}): the plan when the run starts, before any outcome; how it ended at its end. */
public final class RunFactsWriter implements OutcomeListener {
    private RunPlan plan;

    @Override
    public void runStarted(RunPlan plan) {
        this.plan = plan;
        write(null);
    }

    @Override
    public void runFinished(RunEnd end) {
        write(end);
    }

    private void write(RunEnd end) {
        ResultsFolder results = new ResultsFolder(plan.results());
        try {
            RunFacts.write(results.runFacts(), plan, end);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + results.runFacts() + ": " + e.getMessage(), e);
        }
    }
}
