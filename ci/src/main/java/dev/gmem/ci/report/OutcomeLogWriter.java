package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Keeps {@code outcomes.jsonl} of the run's own folder: one line per outcome, with the run's id, appended the moment it is decided. */
public final class OutcomeLogWriter implements OutcomeListener {
    private ResultsFolder results;
    private String runId;

    @Override
    public void runStarted(RunPlan plan) {
        results = new ResultsFolder(plan.results());
        runId = plan.runId();
        try {
            Files.createDirectories(results.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + results.dir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void itemDecided(ClauseOutcome outcome) {
        try {
            OutcomeLog.append(results.outcomes(), runId, outcome);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + results.outcomes() + ": " + e.getMessage(), e);
        }
    }
}
