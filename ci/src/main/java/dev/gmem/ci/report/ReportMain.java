package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ci/report}'s Java half: replays a recorded run ({@code run.json}, {@code outcomes.jsonl})
 * through the same report listeners the suite tells as it runs (every {@link OutcomeListener} on the
 * class path but those in {@link #NOT_REPLAYED}), so a report is written by one path whether the run
 * ended or was killed; prints the reports' paths, one a line.
 */
public final class ReportMain {
    /**
     * The listeners a replay leaves out: the two that keep the recording (they would overwrite their
     * own input) and the Allure labeller (it labels the live test that decided an outcome).
     */
    static final Set<Class<? extends OutcomeListener>> NOT_REPLAYED =
            Set.of(OutcomeLogWriter.class, RunFactsWriter.class, AllureWriter.class);

    private ReportMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IOException | RuntimeException e) {
            System.err.println("report: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) throws IOException {
        ResultsFolder results = ResultsFolder.fromSystem();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--results") && i + 1 < args.length) {
                results = new ResultsFolder(Path.of(args[++i]));
            } else {
                System.err.println("report: unknown argument '" + args[i] + "'; usage: ci/report [--results DIR]");
                return 2;
            }
        }
        List<ClauseOutcome> outcomes = OutcomeLog.read(results.outcomes());
        if (outcomes.isEmpty()) {
            System.err.println("report: no clause outcomes in " + results.outcomes()
                    + ": run the suite first (./gmem-conformance), or try ci/report --demo");
            return 2;
        }
        RunPlan plan = RunFacts.readPlan(results, outcomes);
        OutcomeListeners listeners = OutcomeListeners.load(type -> !NOT_REPLAYED.contains(type));
        replay(plan, outcomes, listeners);
        for (Path p : written(results, outcomes)) System.out.println(p);
        return listeners.failed() ? 1 : 0;
    }

    /** Tells {@code listener} the recorded run as the suite told it. */
    static void replay(RunPlan plan, List<ClauseOutcome> outcomes, OutcomeListener listener) {
        listener.runStarted(plan);
        for (ClauseOutcome o : outcomes) listener.itemDecided(o);
        listener.runFinished(RunEnd.of(plan, outcomes.size()));
    }

    private static List<Path> written(ResultsFolder results, List<ClauseOutcome> outcomes) {
        List<Path> out = new ArrayList<>();
        for (String name : List.of(ComplianceReports.MARKDOWN, ComplianceReports.JSON, ComplianceReports.KTAP)) {
            out.add(results.dir().resolve(name));
        }
        for (ClauseOutcome o : outcomes) {
            Path c = results.reproducers().resolve(CReproducer.fileName(o));
            if (o.status() == Status.FAILED && Files.exists(c)) out.add(c);
        }
        return out;
    }
}
