package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.Status;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.clauses.Catalogue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance suite as JUnit tests: one test per clause, target and edition, named like
 * {@code CONV-3 [required] misaligned ... · model:inplace-v8}. The target comes from
 * {@code -Dgmem.target} (default {@code model}: every model edition), the clauses from
 * {@code -Dgmem.clause} (an id or a group; default every clause). What the run decides goes to the
 * outcome listeners on the class path (the reports), never written here.
 */
@DisplayName("gmem conformance")
class ConformanceSuiteTest {
    static final String TARGET = "gmem.target";
    static final String CLAUSE = "gmem.clause";

    private static SuiteRun run;

    @TestFactory
    List<DynamicNode> clauses() {
        String spec = System.getProperty(TARGET, "model");
        if (spec.isBlank()) spec = "model";
        RunConfig config;
        List<Target> targets;
        try {
            config = RunConfig.fromSystem();
            targets = Targets.resolve(spec);
        } catch (TargetException | IllegalArgumentException e) {
            String message = e.getMessage();
            return List.of(DynamicTest.dynamicTest("gmem.target=" + spec, () -> Assertions.fail(message)));
        }
        List<Clause> clauses = Catalogue.select(System.getProperty(CLAUSE, ""));
        if (clauses.isEmpty()) {
            String message = "no clause or group named '" + System.getProperty(CLAUSE) + "' (ids such as CONV-3, groups such as CONV)";
            return List.of(DynamicTest.dynamicTest("gmem.clause", () -> Assertions.fail(message)));
        }
        String selector = System.getProperty(CLAUSE, "");
        ResultsFolder results = ResultsFolder.fromSystem();
        run = SuiteRun.start(spec, selector, targets, clauses, config, results.dir(), OutcomeListeners.load());
        System.out.println("gmem-conformance: target " + spec + ", seed " + config.seed() + ", tries " + config.tries()
                + ", time budget " + config.timeBudget().toMillis() + " ms per property, results in " + results.dir());
        Map<Target, List<DynamicNode>> perTarget = new LinkedHashMap<>();
        for (Target target : targets) perTarget.put(target, new ArrayList<>());
        for (SuiteRun.Item item : run.items()) {
            Target target = item.target();
            Clause clause = item.clause();
            Edition edition = item.edition();
            String name = clause.id() + " [" + clause.level(edition) + "] " + clause.sentence() + " · " + target.name()
                    + (target.name().endsWith(edition.name()) ? "" : " (" + edition.name() + ")");
            perTarget.get(target).add(DynamicTest.dynamicTest(name, () -> decide(target, clause, edition, config)));
        }
        List<DynamicNode> nodes = new ArrayList<>();
        perTarget.forEach((target, tests) -> nodes.add(DynamicContainer.dynamicContainer(target.name(), tests)));
        return nodes;
    }

    private static void decide(Target target, Clause clause, Edition edition, RunConfig config) {
        ClauseRunner.Decision d = ClauseRunner.run(target, clause, edition, config);
        ClauseOutcome outcome = d.outcome();
        run.decided(outcome);
        if (clause.id().equals("SEQ")) {
            outcome.statistics().forEach(line -> System.out.println("SEQ on " + target.name() + ": " + line));
        }
        if (outcome.status() == Status.SKIPPED || outcome.status() == Status.OPTIONAL_FAILED) {
            throw withoutStackTrace(new TestAbortedException(outcome.reason()));
        }
        if (outcome.status() == Status.FAILED) throw withoutStackTrace(new AssertionFailedError(d.message()));
        if (outcome.status() == Status.TARGET_ERROR) throw withoutStackTrace(new IllegalStateException(d.message()));
    }

    /** The message says everything; a stack trace of the test machinery would only bury it. */
    private static <T extends Throwable> T withoutStackTrace(T t) {
        t.setStackTrace(new StackTraceElement[0]);
        return t;
    }

    @AfterAll
    static void finish() {
        if (run != null) run.finish();
    }
}
