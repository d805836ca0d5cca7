package dev.gmem.suite;

import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.ResultsRoot;
import dev.gmem.api.outcome.RunId;
import dev.gmem.api.outcome.RunLock;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.TestIdentity;
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
 * The conformance suite as JUnit tests: one test per clause, target and edition, named by its
 * stable identity ({@code CONV-3 [model:inplace-v8]}, {@link TestIdentity}). What is run comes from
 * the system properties ({@link SuiteOptions}: {@code -Dgmem.target}, default {@code model};
 * {@code -Dgmem.clause}, default every clause); what the run decides goes to the outcome listeners
 * on the class path (the reports, into {@code ROOT/runs/<id>/}), never written here.
 */
@DisplayName("gmem conformance")
class ConformanceSuiteTest {
    /** Set by the launcher, which printed the run's first lines (its preflight) already. */
    static final String LAUNCHED = "gmem.launched";

    private static SuiteRun run;
    private static RunLock lock;
    private static RunProgress progress;
    private static boolean deadlineSaid;

    @TestFactory
    List<DynamicNode> clauses() {
        SuiteOptions options;
        List<Target> targets;
        try {
            options = SuiteOptions.fromSystem();
            targets = Targets.resolve(options.targetSpec());
        } catch (TargetException | IllegalArgumentException e) {
            return refused("gmem.target", e.getMessage());
        }
        if (!Boolean.getBoolean(LAUNCHED)) RunHeader.lines(options, targets).forEach(System.out::println);
        ResultsRoot root = ResultsRoot.fromSystem();
        ResultsFolder results;
        try {
            lock = root.lock();
            results = root.startRun(RunId.fromSystem());
        } catch (RuntimeException e) {
            return refused("gmem.results", e.getMessage());
        }
        java.util.Set<String> skipped = SuiteOptions.skippedListeners();
        run = SuiteRun.start(options, targets, results.dir(), OutcomeListeners.load(type -> !skipped.contains(type.getSimpleName())));
        progress = new RunProgress(run, options.config(), options.deadline(), System.out);
        System.out.println("gmem-conformance: run " + run.plan().runId() + ": " + run.plan().items().size()
                + " clause × edition items planned; results in " + results.dir());
        Map<Target, List<DynamicNode>> perTarget = new LinkedHashMap<>();
        for (Target target : targets) perTarget.put(target, new ArrayList<>());
        for (SuiteRun.Item item : run.items()) {
            String name = TestIdentity.of(item.clause().id(), item.clause().group(), item.target().name(), item.edition().name()).name();
            perTarget.get(item.target()).add(DynamicTest.dynamicTest(name, () -> decide(item)));
        }
        List<DynamicNode> nodes = new ArrayList<>();
        perTarget.forEach((target, tests) -> nodes.add(DynamicContainer.dynamicContainer(target.name(), tests)));
        return nodes;
    }

    /** One failing test saying in one line why the run cannot start (the launcher's preflight says it before this). */
    private static List<DynamicNode> refused(String what, String message) {
        System.err.println("gmem-conformance: " + message);
        return List.of(DynamicTest.dynamicTest(what, () -> Assertions.fail(message)));
    }

    private static void decide(SuiteRun.Item item) {
        if (progress.deadlinePassed()) {
            if (!deadlineSaid) {
                deadlineSaid = true;
                progress.notStarted(run.plan().items().size() - run.decidedCount());
            }
            throw withoutStackTrace(new TestAbortedException("not started: the run's --deadline passed"));
        }
        progress.starting(item);
        ClauseRunner.Decision d = ClauseRunner.run(item.target(), item.clause(), item.edition(), progress.configFor());
        ClauseOutcome outcome = d.outcome();
        run.decided(outcome);
        progress.decided(outcome);
        if (outcome.status() == Status.SKIPPED || outcome.status() == Status.OPTIONAL_FAILED) {
            throw withoutStackTrace(new TestAbortedException(outcome.reason()));
        }
        if (outcome.status() == Status.FAILED || outcome.status() == Status.TIMED_OUT) {
            throw withoutStackTrace(new AssertionFailedError(d.message()));
        }
        if (outcome.status() == Status.TARGET_ERROR) throw withoutStackTrace(new IllegalStateException(d.message()));
    }

    /** The message says everything; a stack trace of the test machinery would only bury it. */
    private static <T extends Throwable> T withoutStackTrace(T t) {
        t.setStackTrace(new StackTraceElement[0]);
        return t;
    }

    @AfterAll
    static void finish() {
        if (progress != null) progress.close();
        if (run != null) run.finish();
        if (lock != null) lock.close();
    }
}
