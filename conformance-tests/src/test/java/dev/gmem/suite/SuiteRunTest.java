package dev.gmem.suite;

import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.clauses.Catalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite's half of the launcher/listener split: the plan it announces, the outcomes, the end. */
class SuiteRunTest {
    private static final RunConfig CONFIG = RunConfig.of(7, 3);

    static final class Recording implements OutcomeListener {
        RunPlan plan;
        final List<ClauseOutcome> outcomes = new ArrayList<>();
        RunEnd end;

        @Override
        public void runStarted(RunPlan plan) {
            this.plan = plan;
        }

        @Override
        public void itemDecided(ClauseOutcome outcome) {
            outcomes.add(outcome);
        }

        @Override
        public void runFinished(RunEnd end) {
            this.end = end;
        }
    }

    @Test
    void thePlanNamesEveryItemTheRunDecidesAndTheEndSaysWhetherAllWere(@TempDir Path dir) throws TargetException {
        List<Target> targets = Targets.resolve("model");
        List<Clause> clauses = Catalogue.select("CONV");
        Recording listener = new Recording();
        SuiteRun run = SuiteRun.start("model", "CONV", targets, clauses, CONFIG, dir, listener);

        RunPlan plan = listener.plan;
        assertThat(plan).isSameAs(run.plan());
        assertThat(plan.seed()).isEqualTo(7);
        assertThat(plan.results()).isEqualTo(dir.toAbsolutePath());
        assertThat(plan.kitVersion()).as("filled in by the build").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(plan.runId()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{4}");
        assertThat(plan.options()).containsEntry("target", "model").containsEntry("clause", "CONV").containsEntry("tries", "3");
        assertThat(plan.facts().keySet()).containsExactlyElementsOf(targets.stream().map(Target::name).toList());
        assertThat(plan.items()).hasSize(run.items().size()).hasSizeGreaterThanOrEqualTo(clauses.size());
        assertThat(plan.items()).allMatch(i -> i.clauseId().startsWith("CONV-"));

        SuiteRun.Item first = run.items().get(0);
        run.decided(ClauseRunner.run(first.target(), first.clause(), first.edition(), CONFIG).outcome());
        assertThat(listener.outcomes).extracting(o -> new PlanItem(o.clauseId(), o.target(), o.edition()))
                .containsExactly(plan.items().get(0));
        run.finish();
        assertThat(listener.end).isEqualTo(new RunEnd(plan.runId(), false, 1, plan.items().size()));
    }

    @Test
    void aThrowingReportNeitherChangesTheOutcomeNorStopsTheOthers(@TempDir Path dir) throws TargetException {
        List<Target> targets = Targets.resolve("model:inplace-v8");
        List<Clause> clauses = Catalogue.select("CONV-3");
        OutcomeListener broken = new OutcomeListener() {
            @Override
            public void itemDecided(ClauseOutcome outcome) {
                throw new IllegalStateException("cannot write");
            }
        };
        Recording after = new Recording();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutcomeListeners listeners = new OutcomeListeners(List.of(broken, after), new PrintStream(err, true, StandardCharsets.UTF_8));
        SuiteRun run = SuiteRun.start("model:inplace-v8", "CONV-3", targets, clauses, CONFIG, dir, listeners);
        for (SuiteRun.Item item : run.items()) {
            run.decided(ClauseRunner.run(item.target(), item.clause(), item.edition(), CONFIG).outcome());
        }
        run.finish();
        assertThat(after.outcomes).hasSize(run.items().size());
        assertThat(after.end.completed()).isTrue();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot write").hasLineCount(1);
    }

    @Test
    void theListenersOnTheClassPathAreTheReports(@TempDir Path dir) throws Exception {
        List<Target> targets = Targets.resolve("model:inplace-v8");
        OutcomeListeners listeners = OutcomeListeners.load();
        assertThat(listeners.listeners()).as("ci is a runtime dependency").isNotEmpty();
        SuiteRun run = SuiteRun.start("model:inplace-v8", "CREATE-1", targets, Catalogue.select("CREATE-1"), CONFIG, dir, listeners);
        for (SuiteRun.Item item : run.items()) {
            run.decided(ClauseRunner.run(item.target(), item.clause(), item.edition(), CONFIG).outcome());
        }
        run.finish();
        assertThat(listeners.failed()).isFalse();
        assertThat(dir.resolve("outcomes.jsonl")).isRegularFile();
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("CREATE-1");
        assertThat(dir.resolve("results.ktap")).isRegularFile();
    }
}
