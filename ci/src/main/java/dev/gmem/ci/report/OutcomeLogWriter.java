package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * Keeps {@code outcomes.jsonl}: one line per outcome, appended the moment it is decided. A new run
 * keeps the previous run's log as {@code outcomes.previous.jsonl}, unless {@code -Dgmem.append=true}.
 */
public final class OutcomeLogWriter implements OutcomeListener {
    /** {@code -Dgmem.append=true}: add to the results folder's outcomes instead of starting a new log. */
    public static final String APPEND = "gmem.append";

    private ResultsFolder results;

    @Override
    public void runStarted(RunPlan plan) {
        results = new ResultsFolder(plan.results());
        try {
            Files.createDirectories(results.dir());
            if (!Boolean.getBoolean(APPEND) && Files.exists(results.outcomes())) {
                Files.move(results.outcomes(), results.dir().resolve("outcomes.previous.jsonl"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + results.dir() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void itemDecided(ClauseOutcome outcome) {
        try {
            OutcomeLog.append(results.outcomes(), outcome);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + results.outcomes() + ": " + e.getMessage(), e);
        }
    }
}
