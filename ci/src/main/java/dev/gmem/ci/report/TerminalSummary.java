package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.ExitStatus;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.Status;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Prints the summary of one run (a run folder, or a results root's latest run): clauses passed /
 * failed / skipped per target, the failures by name, {@code INTERRUPTED after N of M} when the run
 * did not decide everything it planned, where the results are, and as the last line
 * {@code clauses: N passed, N failed, N skipped}. Its exit status is the run's ({@link ExitStatus}).
 *
 * <p>{@code java -cp ... dev.gmem.ci.report.TerminalSummary RESULTS_DIR_OR_RUN_DIR}
 */
public final class TerminalSummary {
    private TerminalSummary() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TerminalSummary RESULTS_DIR");
            System.exit(ExitStatus.USAGE.code());
        }
        ResultsFolder run = ResultsFolder.resolve(Path.of(args[0]));
        if (!Files.exists(run.runFacts())) {
            System.err.println("gmem-conformance: INTERRUPTED before the run wrote its plan: no run in " + run.dir());
            System.exit(ExitStatus.INTERRUPTED.code());
        }
        RunReport report;
        try {
            report = RunFacts.read(run);
        } catch (IOException | RuntimeException e) {
            System.err.println("gmem-conformance: cannot read the run in " + run.dir() + ": " + e.getMessage());
            System.exit(ExitStatus.INTERRUPTED.code());
            return;
        }
        System.exit(print(report, run.dir(), System.out).code());
    }

    /** The "slowest" lines of the suite's timings.json (one quoted line each), or none. */
    static List<String> slowest(Path timings) {
        try {
            if (!Files.exists(timings)) return List.of();
            String text = Files.readString(timings);
            int at = text.indexOf("\"slowest\": [");
            if (at < 0) return List.of();
            return Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text.substring(at + 12, text.indexOf(']', at)))
                    .results().map(m -> m.group(1).replace("\\\"", "\"")).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Prints the table; returns the run's exit status. */
    static ExitStatus print(RunReport run, Path dir, PrintStream out) {
        Map<String, Map<Status, Integer>> perTarget = new LinkedHashMap<>();
        Map<Status, Integer> total = new EnumMap<>(Status.class);
        for (Status s : Status.values()) total.put(s, 0);
        for (ClauseOutcome o : run.outcomes()) {
            perTarget.computeIfAbsent(o.target(), t -> {
                Map<Status, Integer> m = new EnumMap<>(Status.class);
                for (Status s : Status.values()) m.put(s, 0);
                return m;
            }).merge(o.status(), 1, Integer::sum);
            total.merge(o.status(), 1, Integer::sum);
        }
        run.plan().kernelNotTested().ifPresent(why -> out.println("kernel not tested: " + why));
        int width = Math.max(6, perTarget.keySet().stream().mapToInt(String::length).max().orElse(6));
        String row = "%-" + width + "s  %6s  %6s  %7s%n";
        out.printf(row, "target", "passed", "failed", "skipped");
        perTarget.forEach((t, m) -> out.printf(row, t, m.get(Status.PASSED), m.get(Status.FAILED), m.get(Status.SKIPPED)));
        for (ClauseOutcome o : run.outcomes()) {
            if (o.status() == Status.FAILED) {
                out.println("FAILED  " + o.clauseId() + " on " + o.target() + " (" + o.edition() + "): replay with " + o.replay());
            }
            if (o.status() == Status.TARGET_ERROR) {
                out.println("TARGET ERROR  " + o.reason() + "; replay with " + o.replay());
            }
        }
        for (ClauseOutcome o : run.outcomes()) {
            o.transitionCoverage().ifPresent(c -> out.println("model transitions  " + o.target() + ": " + c));
        }
        slowest(dir.resolve("timings.json")).forEach(line -> out.println("slowest: " + line));
        run.interruption().ifPresent(line -> out.println(line + ": run " + run.plan().runId()
                + " ended before it decided every planned clause (not decided: "
                + run.undecided().stream().limit(5).map(i -> i.clauseId() + " " + i.edition()).toList()
                + (run.undecided().size() > 5 ? " and " + (run.undecided().size() - 5) + " more" : "") + ")"));
        out.println("results: " + dir + " (run " + run.plan().runId() + ": summary.md, results.ktap, outcomes.jsonl, timings.json, reproducers/)");
        out.printf("clauses: %d passed, %d failed, %d skipped%s%s%s%n", total.get(Status.PASSED), total.get(Status.FAILED),
                total.get(Status.SKIPPED), total.get(Status.OPTIONAL_FAILED) > 0
                        ? ", " + total.get(Status.OPTIONAL_FAILED) + " optional failed" : "",
                total.get(Status.TARGET_ERROR) > 0 ? ", " + total.get(Status.TARGET_ERROR) + " target errors" : "",
                run.interruption().map(line -> " (" + line + ")").orElse("")
                        + run.plan().kernelNotTested().map(why -> " (kernel not tested)").orElse(""));
        return run.exitStatus();
    }
}
