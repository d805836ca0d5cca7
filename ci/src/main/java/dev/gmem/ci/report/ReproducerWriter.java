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

/** Writes {@code reproducers/<clause>-<target>-<edition>.c} for every failure with a shrunk sequence or concurrent case, as it is decided. */
public final class ReproducerWriter implements OutcomeListener {
    private ResultsFolder results;
    private CReproducer.Provenance provenance = CReproducer.Provenance.UNKNOWN;

    @Override
    public void runStarted(RunPlan plan) {
        results = new ResultsFolder(plan.results());
        provenance = new CReproducer.Provenance(plan.kernelRelease(), plan.kitVersion());
    }

    @Override
    public void itemDecided(ClauseOutcome outcome) {
        if (outcome.status() != Status.FAILED) return;
        Optional<String> source = CReproducers.of(outcome, provenance);
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
