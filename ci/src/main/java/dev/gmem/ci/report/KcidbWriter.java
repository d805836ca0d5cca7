package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Writes {@code kcidb.json} (see {@link Kcidb}), one KCIDB submission per run, at the run's end. */
public final class KcidbWriter implements OutcomeListener {
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
        Path file = plan.results().resolve(Kcidb.FILE);
        Path temporary = plan.results().resolve(Kcidb.FILE + ".tmp");
        try {
            Files.createDirectories(plan.results());
            Files.writeString(temporary, Json.writePretty(Kcidb.submission(plan, outcomes)), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
