package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.HistoryText;
import dev.gmem.api.outcome.KernelRelease;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.api.outcome.RaceThread;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.api.outcome.TestIdentity;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.util.ResultsUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Labels the running Allure test (allure-junit5 on the test class path) with one
 * {@link ClauseOutcome}: behaviours read clause group → clause → edition; parameters target,
 * edition, kernel release and seed; the shrunk sequence as one Allure step per operation; the
 * seed, the replay command, the shrunk sequence (or a RACE clause's history picture and concurrent case) and
 * the C reproducer attached as text/plain (shown inline).
 *
 * <p>Call it from inside the Jupiter test that decided the outcome, before the test ends. The
 * test's own end decides its Allure status: it must fail (AssertionError) for a FAILED outcome
 * and abort (a JUnit assumption) for a SKIPPED one, with the reason as the message.
 */
public final class AllureOutcome {
    private AllureOutcome() {
    }

    /** Publishes {@code outcome}, with this machine's kernel release ({@code uname -r}). */
    public static void publish(ClauseOutcome outcome, Optional<String> cReproducer) {
        publish(outcome, KernelRelease.current(), cReproducer);
    }

    /** Publishes {@code outcome} for a run on the kernel {@code kernelRelease}. */
    public static void publish(ClauseOutcome outcome, String kernelRelease, Optional<String> cReproducer) {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        if (lifecycle.getCurrentTestCase().isEmpty()) return;
        TestIdentity identity = TestIdentity.of(outcome);
        lifecycle.updateTestCase(test -> {
            test.setName(outcome.clauseId() + " on " + outcome.target() + " (" + outcome.edition() + ")");
            // clause × target × edition, never the test's position: history stays with its clause across selections
            test.setFullName(identity.className() + "." + identity.name());
            test.setHistoryId(identity.historyId());
            test.setTestCaseId(identity.historyId());
            test.setDescription(description(outcome));
            List<Label> labels = new ArrayList<>(test.getLabels());
            labels.removeIf(l -> List.of("epic", "feature", "story", "parentSuite", "suite", "subSuite")
                    .contains(l.getName()));
            labels.add(ResultsUtils.createEpicLabel(outcome.group()));
            labels.add(ResultsUtils.createFeatureLabel(outcome.clauseId() + " " + outcome.sentence()));
            labels.add(ResultsUtils.createStoryLabel(outcome.edition()));
            labels.add(ResultsUtils.createParentSuiteLabel(outcome.target()));
            labels.add(ResultsUtils.createSuiteLabel(outcome.edition()));
            labels.add(ResultsUtils.createSubSuiteLabel(outcome.group()));
            test.setLabels(labels);
            List<Parameter> parameters = new ArrayList<>(test.getParameters());
            parameters.add(parameter("target", outcome.target()));
            parameters.add(parameter("edition", outcome.edition()));
            parameters.add(parameter("kernel release", kernelRelease));
            parameters.add(parameter("seed", Long.toString(outcome.seed())));
            test.setParameters(parameters);
            if (!outcome.reason().isEmpty()) {
                test.setStatusDetails(new StatusDetails().setMessage(outcome.reason()));
            }
        });
        int number = 1;
        for (Step step : outcome.shrunk()) publishStep(lifecycle, number++, step);
        if (outcome.status() != Status.PASSED) {
            Allure.addAttachment("seed", "text/plain", Long.toString(outcome.seed()), "txt");
            if (!outcome.replay().isEmpty()) Allure.addAttachment("replay command", "text/plain", outcome.replay(), "txt");
            HistoryText.in(outcome.reason()).ifPresent(h -> Allure.addAttachment("history", "text/plain", h, "txt"));
        }
        if (!outcome.statistics().isEmpty()) {
            Allure.addAttachment("statistics", "text/plain", String.join("\n", outcome.statistics()), "txt");
        }
        if (!outcome.shrunk().isEmpty()) {
            StringBuilder steps = new StringBuilder();
            int n = 1;
            for (Step step : outcome.shrunk()) steps.append(StepText.line(n++, step)).append('\n');
            Allure.addAttachment("shrunk sequence", "text/plain", steps.toString(), "txt");
        }
        outcome.raceCase().ifPresent(r -> Allure.addAttachment("concurrent case", "text/plain", concurrentCase(r), "txt"));
        // text/plain: Allure shows it inline, where text/x-c would be a download under a hash name
        cReproducer.ifPresent(c -> Allure.addAttachment("C reproducer", "text/plain", c, "txt"));
    }

    /** The shrunk concurrent case: the prefix, then each thread's operations with what they answered. */
    static String concurrentCase(RaceCase race) {
        StringBuilder b = new StringBuilder("prefix (sequential):\n");
        int n = 1;
        for (Step step : race.prefix()) b.append("  ").append(StepText.line(n++, step)).append('\n');
        for (int t = 0; t < race.threads().size(); t++) {
            RaceThread thread = race.threads().get(t);
            b.append("thread ").append(t).append(" (").append(thread.role().name().toLowerCase()).append("), started with the others:\n");
            for (int i = 0; i < thread.operations().size(); i++) {
                b.append("  ").append(thread.operations().get(i)).append(" → ").append(thread.seen().get(i)).append('\n');
            }
        }
        b.append(race.answers().isEmpty() ? "no table of allowed answers: " + race.noTable()
                : race.answers().size() + " rows of answers the model explains (one per interleaving and choice it leaves)").append('\n');
        return b.append(race.rate()).append('\n').toString();
    }

    private static void publishStep(AllureLifecycle lifecycle, int number, Step step) {
        String uuid = UUID.randomUUID().toString();
        StepResult result = new StepResult()
                .setName(stepName(number, step))
                .setStatus(step.diverged() ? io.qameta.allure.model.Status.FAILED : io.qameta.allure.model.Status.PASSED)
                .setParameters(List.of(
                        parameter("expected", step.expected().toString()),
                        parameter("allowed", step.allowed()),
                        parameter("seen", step.seen().toString())));
        if (step.diverged()) {
            result.setStatusDetails(new StatusDetails().setMessage(
                    "expected " + step.expected() + " (allowed: " + step.allowed() + "), seen " + step.seen()));
        }
        lifecycle.startStep(uuid, result);
        lifecycle.stopStep(uuid);
    }

    /** The step as the tree shows it without expanding: what was done and what came back. */
    static String stepName(int number, Step step) {
        String name = number + ". " + step.operation() + " → " + step.seen();
        return step.diverged() ? name + ", expected " + step.expected() : name;
    }

    private static String description(ClauseOutcome outcome) {
        StringBuilder d = new StringBuilder(outcome.sentence());
        if (!outcome.peerTests().isEmpty()) d.append("\n\nPeer selftests: ").append(String.join(", ", outcome.peerTests()));
        return d.toString();
    }

    private static Parameter parameter(String name, String value) {
        return new Parameter().setName(name).setValue(value);
    }
}
