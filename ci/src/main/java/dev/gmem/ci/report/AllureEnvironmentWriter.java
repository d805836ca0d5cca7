package dev.gmem.ci.report;

import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The run's facts on the HTML report's overview page: {@code allure-results/environment.properties}, when that folder exists. */
public final class AllureEnvironmentWriter implements OutcomeListener {
    private RunPlan plan;

    @Override
    public void runStarted(RunPlan plan) {
        this.plan = plan;
    }

    @Override
    public void runFinished(RunEnd end) {
        Path allureResults = new ResultsFolder(plan.results()).allureResults();
        if (!Files.isDirectory(allureResults)) return;
        Properties environment = new Properties();
        environment.setProperty("kernel release", plan.kernelRelease());
        environment.setProperty("seed", Long.toString(plan.seed()));
        plan.facts().forEach((target, facts) -> environment.setProperty(target, String.join("; ", facts)));
        Path file = allureResults.resolve("environment.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            environment.store(out, "gmem-conformance run");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
