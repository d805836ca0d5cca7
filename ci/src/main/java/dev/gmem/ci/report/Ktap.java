package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.ci.report.ComplianceReports.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * KTAP version 1 (Documentation/dev-tools/ktap.rst), as kselftest runners and KernelCI read it:
 * one test per target and edition, with one subtest per clause.
 */
final class Ktap {
    private static final String INDENT = "    ";

    private Ktap() {
    }

    static String render(Matrix matrix) {
        StringBuilder out = new StringBuilder("KTAP version 1\n");
        out.append("1..").append(matrix.columns().size()).append('\n');
        int number = 1;
        for (Matrix.Column column : matrix.columns()) {
            List<ClauseOutcome> outcomes = new ArrayList<>();
            for (Matrix.Row row : matrix.rows()) {
                ClauseOutcome o = row.cells().get(column);
                if (o != null) outcomes.add(o);
            }
            out.append(INDENT).append("KTAP version 1\n");
            out.append(INDENT).append("# Subtest: ").append(name(column.title())).append('\n');
            out.append(INDENT).append("1..").append(outcomes.size()).append('\n');
            int sub = 1;
            boolean anyFailed = false;
            boolean anyPassed = false;
            for (ClauseOutcome o : outcomes) {
                if (o.status() == Status.FAILED || o.status() == Status.TARGET_ERROR) {
                    // a target error is no pass: "not ok", with the reason as its diagnostic
                    anyFailed = true;
                    for (String line : diagnostic(o)) out.append(INDENT).append("# ").append(line).append('\n');
                }
                anyPassed |= o.status() == Status.PASSED;
                out.append(INDENT).append(result(sub++, o.status(), o.clauseId(), o.reason())).append('\n');
            }
            Status overall = anyFailed ? Status.FAILED : anyPassed ? Status.PASSED : Status.SKIPPED;
            out.append(result(number++, overall, column.title(), "no clause could be checked")).append('\n');
        }
        return out.toString();
    }

    private static String result(int number, Status status, String name, String reason) {
        String line = (status == Status.FAILED || status == Status.TARGET_ERROR ? "not ok " : "ok ") + number + " " + name(name);
        if (status == Status.SKIPPED) {
            line += " # SKIP " + oneLine(reason.isEmpty() ? "no reason given" : StepText.firstLine(reason));
        }
        return line;
    }

    private static List<String> diagnostic(ClauseOutcome o) {
        List<String> lines = new ArrayList<>();
        lines.add(o.clauseId() + ": " + oneLine(o.sentence()));
        if (!o.reason().isEmpty()) lines.add(oneLine(StepText.firstLine(o.reason())));
        lines.add("seed " + o.seed() + (o.replay().isEmpty() ? "" : ", replay: " + oneLine(o.replay())));
        int n = 1;
        for (Step s : o.shrunk()) lines.add(oneLine(StepText.line(n++, s)));
        return lines;
    }

    /** A KTAP test name may not hold '#' (it starts a directive) nor a line break. */
    private static String name(String text) {
        return oneLine(text).replace('#', '_');
    }

    /** One line of plain ASCII arrows and signs, as kernel logs have them. */
    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ').replace("→", "->").replace("←", "<-").replace("≥", ">=");
    }
}
