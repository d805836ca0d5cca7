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

/**
 * The run's facts on the HTML report's overview page, one a row: {@code allure-results/environment.properties},
 * when that folder exists.
 */
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
        environment.setProperty("run", plan.runId() + ": " + end.interruption().orElse("complete, " + end.decided() + " of "
                + end.planned() + " decided"));
        plan.kernelNotTested().ifPresent(why -> environment.setProperty("kernel not tested", why));
        environment.setProperty("kernel release", plan.kernelRelease());
        environment.setProperty("seed", Long.toString(plan.seed()));
        environment.setProperty("kit version", plan.kitVersion());
        // one fact a row: "<target>: <what>" = <value>
        plan.facts().forEach((target, facts) -> {
            int n = 1;
            for (String fact : facts) {
                String[] nameValue = nameAndValue(fact);
                String key = target + ": " + (nameValue[0].isEmpty() ? "fact " + n : nameValue[0]);
                if (environment.containsKey(key)) key += " (" + n + ")";
                environment.setProperty(key, nameValue[1]);
                n++;
            }
        });
        Path file = allureResults.resolve("environment.properties");
        if (!end.completed()) environment.setProperty("run", "interrupted after " + end.decided() + " of " + end.planned());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            environment.store(out, "gmem-conformance run");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** "KVM_CAP_X = 3" or "generation detected: gmem-mmap" as name and value; a fact without either is all value. */
    static String[] nameAndValue(String fact) {
        for (String sign : new String[] {" = ", ": "}) {
            int at = fact.indexOf(sign);
            if (at > 0 && at < 60) return new String[] {fact.substring(0, at), fact.substring(at + sign.length())};
        }
        return new String[] {"", fact};
    }
}
