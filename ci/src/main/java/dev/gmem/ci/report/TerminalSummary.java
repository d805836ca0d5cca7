package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the summary of a run from its outcomes.jsonl: clauses passed / failed / skipped per target,
 * the failures by name, where the results are, and as the last line
 * {@code clauses: N passed, N failed, N skipped}. Exit status 1 when a clause failed, 3 when there
 * is no outcome at all.
 *
 * <p>{@code java -cp ... dev.gmem.ci.report.TerminalSummary RESULTS_DIR}
 */
public final class TerminalSummary {
    private TerminalSummary() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TerminalSummary RESULTS_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath().normalize();
        Path log = dir.resolve("outcomes.jsonl");
        List<ClauseOutcome> outcomes;
        try {
            outcomes = Files.exists(log) ? OutcomeLog.read(log) : List.of();
        } catch (IOException | RuntimeException e) {
            System.err.println("gmem-conformance: cannot read " + log + ": " + e.getMessage());
            System.exit(3);
            return;
        }
        System.exit(print(outcomes, dir));
    }

    /** Prints the table; returns the exit status. */
    static int print(List<ClauseOutcome> outcomes, Path dir) {
        Map<String, Map<Status, Integer>> perTarget = new LinkedHashMap<>();
        Map<Status, Integer> total = new EnumMap<>(Status.class);
        for (Status s : Status.values()) total.put(s, 0);
        for (ClauseOutcome o : outcomes) {
            perTarget.computeIfAbsent(o.target(), t -> {
                Map<Status, Integer> m = new EnumMap<>(Status.class);
                for (Status s : Status.values()) m.put(s, 0);
                return m;
            }).merge(o.status(), 1, Integer::sum);
            total.merge(o.status(), 1, Integer::sum);
        }
        int width = Math.max(6, perTarget.keySet().stream().mapToInt(String::length).max().orElse(6));
        String row = "%-" + width + "s  %6s  %6s  %7s%n";
        System.out.printf(row, "target", "passed", "failed", "skipped");
        perTarget.forEach((t, m) -> System.out.printf(row, t, m.get(Status.PASSED), m.get(Status.FAILED), m.get(Status.SKIPPED)));
        for (ClauseOutcome o : outcomes) {
            if (o.status() == Status.FAILED) {
                System.out.println("FAILED  " + o.clauseId() + " on " + o.target() + " (" + o.edition() + "): replay with "
                        + o.replay());
            }
            if (o.status() == Status.TARGET_ERROR) {
                System.out.println("TARGET ERROR  " + o.reason() + "; replay with " + o.replay());
            }
        }
        for (ClauseOutcome o : outcomes) {
            o.transitionCoverage().ifPresent(c -> System.out.println("model transitions  " + o.target() + ": " + c));
        }
        System.out.println("results: " + dir + " (outcomes.jsonl, summary.md, reproducers/, allure-results/)");
        System.out.printf("clauses: %d passed, %d failed, %d skipped%s%s%n", total.get(Status.PASSED), total.get(Status.FAILED),
                total.get(Status.SKIPPED), total.get(Status.OPTIONAL_FAILED) > 0
                        ? ", " + total.get(Status.OPTIONAL_FAILED) + " optional failed" : "",
                total.get(Status.TARGET_ERROR) > 0 ? ", " + total.get(Status.TARGET_ERROR) + " target errors" : "");
        // a target error (its apply threw) leaves clauses without a verdict: the run could not be done
        if (outcomes.isEmpty() || total.get(Status.TARGET_ERROR) > 0) return 3;
        return total.get(Status.FAILED) > 0 ? 1 : 0;
    }
}
