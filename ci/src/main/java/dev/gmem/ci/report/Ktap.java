package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.ExitStatus;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.ci.report.ComplianceReports.Matrix;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * KTAP version 1 (Documentation/dev-tools/ktap.rst), as kselftest runners and KernelCI read it:
 * one test per target and edition, with one subtest per planned clause. A planned clause the run
 * never decided (killed, out of time) is {@code not ok N ID # TIMEOUT interrupted ...}: TIMEOUT is
 * one of ktap.rst's directives, and the plan lines still count every planned test.
 */
final class Ktap {
    private static final String INDENT = "    ";

    private Ktap() {
    }

    static String render(RunReport run, Matrix matrix) {
        StringBuilder out = new StringBuilder("KTAP version 1\n");
        out.append("1..").append(matrix.columns().size()).append('\n');
        out.append("# gmem-conformance run ").append(run.plan().runId()).append(", kit ").append(run.plan().kitVersion())
                .append(", kernel ").append(oneLine(run.kernelRelease())).append(", seed ").append(run.seed()).append('\n');
        run.plan().kernelNotTested().ifPresent(why -> out.append("# kernel not tested: ").append(oneLine(why)).append('\n'));
        run.interruption().ifPresent(line -> out.append("# ").append(line).append(": the undecided clauses are not ok # TIMEOUT\n"));
        out.append("# exit status ").append(run.exitStatus().code()).append(" (").append(run.exitStatus().name()).append(")");
        for (ExitStatus s : ExitStatus.values()) out.append("; ").append(s.code()).append(" ").append(s.name());
        out.append('\n');
        Set<PlanItem> undecided = new HashSet<>(run.undecided());
        String interrupted = "interrupted: not decided (" + run.interruption().orElse("") + ")";
        int number = 1;
        for (Matrix.Column column : matrix.columns()) {
            List<String> results = new ArrayList<>();
            boolean anyFailed = false;
            boolean anyPassed = false;
            boolean anyUndecided = false;
            int sub = 1;
            for (Matrix.Row row : matrix.rows()) {
                ClauseOutcome o = row.cells().get(column);
                if (o == null) {
                    if (!undecided.contains(new PlanItem(row.clauseId(), column.target(), column.edition()))) continue;
                    anyUndecided = true;
                    results.add(INDENT + "not ok " + sub++ + " " + name(row.clauseId()) + " # TIMEOUT " + interrupted);
                    continue;
                }
                if (o.status() == Status.FAILED || o.status() == Status.TARGET_ERROR) {
                    // a target error is no pass: "not ok", with the reason as its diagnostic
                    anyFailed = true;
                    for (String line : diagnostic(o)) results.add(INDENT + "# " + line);
                }
                anyPassed |= o.status() == Status.PASSED;
                anyUndecided |= o.status() == Status.TIMED_OUT;
                results.add(INDENT + result(sub++, o.status(), o.clauseId(), o.reason()));
            }
            out.append(INDENT).append("KTAP version 1\n");
            out.append(INDENT).append("# Subtest: ").append(name(column.title())).append('\n');
            out.append(INDENT).append("1..").append(sub - 1).append('\n');
            results.forEach(r -> out.append(r).append('\n'));
            if (anyUndecided) {
                out.append("not ok ").append(number++).append(' ').append(name(column.title())).append(" # TIMEOUT ")
                        .append(interrupted).append('\n');
            } else {
                Status overall = anyFailed ? Status.FAILED : anyPassed ? Status.PASSED : Status.SKIPPED;
                out.append(result(number++, overall, column.title(), "no clause could be checked")).append('\n');
            }
        }
        return out.toString();
    }

    private static String result(int number, Status status, String name, String reason) {
        if (status == Status.TIMED_OUT) {
            return "not ok " + number + " " + name(name) + " # TIMEOUT " + oneLine(StepText.firstLine(reason));
        }
        String line = (StatusWords.ktapOk(status) ? "ok " : "not ok ") + number + " " + name(name);
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

    /** One line of plain ASCII, as kernel logs have them. */
    private static String oneLine(String text) {
        return TextWrap.ascii(text.replace('\n', ' ').replace('\r', ' '));
    }
}
