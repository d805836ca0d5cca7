package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.Status;
import dev.gmem.ci.report.ComplianceReports.Matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.txt}: the run as a developer pastes it into a patch mail. At most {@value #LINES}
 * lines of at most {@value #WIDTH} columns, plain ASCII: kernel, kit version, seed, the counts per
 * target and edition, each failure as clause id, one line and its replay command. Failures that do
 * not fit are named in one last line; {@code summary.md} has them all.
 */
final class MailSummary {
    static final int LINES = 25;
    static final int WIDTH = 80;

    private MailSummary() {
    }

    static String render(RunReport run, Matrix matrix) {
        List<String> head = new ArrayList<>();
        Map<Status, Integer> totals = matrix.totals();
        run.interruption().ifPresent(line -> head.add(line + ": " + run.undecided().size() + " planned clauses not decided"));
        run.plan().kernelNotTested().ifPresent(why -> head.add("kernel not tested: " + why));
        head.add("guest_memfd conformance, kit " + run.kitVersion() + ", seed " + run.seed());
        head.add("kernel " + run.kernelRelease());
        head.add("run " + run.completion() + ": " + totals.get(Status.PASSED) + " passed, "
                + totals.get(Status.FAILED) + " failed, " + totals.get(Status.SKIPPED) + " skipped"
                + (totals.get(Status.OPTIONAL_FAILED) > 0 ? ", " + totals.get(Status.OPTIONAL_FAILED) + " optional failed" : ""));
        head.add("");
        int width = WIDTH - 3 * 7;
        head.add(String.format("%-" + width + "s %6s %6s %6s", "target (edition)", "pass", "FAIL", "skip"));
        for (Matrix.Column c : matrix.columns()) {
            int[] n = new int[3];
            for (Matrix.Row row : matrix.rows()) {
                ClauseOutcome o = row.cells().get(c);
                if (o == null) continue;
                switch (o.status()) {
                    case PASSED -> n[0]++;
                    case FAILED -> n[1]++;
                    case SKIPPED -> n[2]++;
                    case OPTIONAL_FAILED -> { }
                    case TARGET_ERROR, TIMED_OUT -> n[1]++; // no verdict, and no pass either
                }
            }
            head.add(String.format("%-" + width + "s %6d %6d %6d", TextWrap.cut(c.title(), width), n[0], n[1], n[2]));
        }

        List<ClauseOutcome> failures = matrix.failures();
        List<String> body = new ArrayList<>();
        List<String> untold = new ArrayList<>();
        int room = LINES - head.size() - 2; // a blank line, and the line naming failures that did not fit
        for (ClauseOutcome o : failures) {
            List<String> lines = failure(o);
            if (untold.isEmpty() && body.size() + 1 + lines.size() <= room) {
                body.add("");
                body.addAll(lines);
            } else {
                untold.add(o.clauseId());
            }
        }
        List<String> out = new ArrayList<>(head);
        out.addAll(body);
        if (!untold.isEmpty()) {
            out.add("");
            out.add(TextWrap.cut("also failed: " + String.join(", ", untold) + "; all in summary.md", WIDTH));
        }
        StringBuilder text = new StringBuilder();
        for (String line : out) text.append(TextWrap.cut(TextWrap.ascii(line), WIDTH)).append('\n');
        return text.toString();
    }

    /** FAIL CONV-3 on target (edition): what failed, in one line; then the replay command. */
    private static List<String> failure(ClauseOutcome o) {
        List<String> lines = new ArrayList<>();
        String what = StepText.firstLine(o.reason().isEmpty() ? o.sentence() : o.reason());
        // "CONV-3 failed on T (edition E): property": the clause, target and edition are said already
        int said = what.indexOf("): ");
        if (what.startsWith(o.clauseId() + " ") && said > 0) what = what.substring(said + 3);
        lines.add(TextWrap.cut("FAIL " + o.clauseId() + " on " + o.target() + " (" + o.edition() + "): " + what, WIDTH));
        if (!o.replay().isEmpty()) lines.addAll(TextWrap.command(o.replay(), WIDTH, "  "));
        return lines;
    }
}
