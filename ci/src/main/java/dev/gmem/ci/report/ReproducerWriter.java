package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Writes {@code reproducers/<clause>-<target>-<edition>.c} for every failure with a shrunk sequence, as it is decided. */
public final class ReproducerWriter implements OutcomeListener {
    private ResultsFolder results;

    @Override
    public void runStarted(RunPlan plan) {
        results = new ResultsFolder(plan.results());
    }

    @Override
    public void itemDecided(ClauseOutcome outcome) {
        if (outcome.status() != Status.FAILED) return;
        Optional<String> source = CReproducer.generate(outcome);
        if (source.isEmpty()) return;
        Path file = results.reproducers().resolve(CReproducer.fileName(outcome));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.get(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
