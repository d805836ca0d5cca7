package dev.gmem.ci.report;

import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes {@code run.json} (see {@link RunFacts}) when the run starts, before any outcome. */
public final class RunFactsWriter implements OutcomeListener {
    @Override
    public void runStarted(RunPlan plan) {
        ResultsFolder results = new ResultsFolder(plan.results());
        try {
            RunFacts.write(results.runFacts(), plan);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + results.runFacts() + ": " + e.getMessage(), e);
        }
    }
}
