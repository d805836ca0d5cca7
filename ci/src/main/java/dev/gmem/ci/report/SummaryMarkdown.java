package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.ci.report.ComplianceReports.Matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The compliance summary in Markdown: what a developer pastes into a mail. */
final class SummaryMarkdown {
    private SummaryMarkdown() {
    }

    static String render(RunReport run, Matrix matrix) {
        StringBuilder md = new StringBuilder();
        Map<Status, Integer> totals = matrix.totals();
        md.append("# guest_memfd conformance summary\n\n");
        md.append("- Kernel release: `").append(run.kernelRelease()).append("`\n");
        md.append("- Seed: `").append(run.seed()).append("`\n");
        md.append("- Result: ").append(totals.get(Status.PASSED)).append(" passed, ")
                .append(totals.get(Status.FAILED)).append(" failed, ")
                .append(totals.get(Status.SKIPPED)).append(" skipped (clause × target × edition)\n");
        if (!run.facts().isEmpty()) {
            md.append("\n## Targets and what they detected\n\n");
            run.facts().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                md.append("- **").append(e.getKey()).append("**");
                if (e.getValue().isEmpty()) md.append(": nothing detected");
                md.append('\n');
                for (String fact : e.getValue()) md.append("  - ").append(fact).append('\n');
            });
        }

        List<String> coverage = new ArrayList<>();
        for (Matrix.Row row : matrix.rows()) {
            row.cells().forEach((c, o) -> o.transitionCoverage().ifPresent(t -> coverage.add("- " + o.target() + ": " + t)));
        }
        if (!coverage.isEmpty()) {
            md.append("\n## Model-transition coverage (SEQ)\n\n");
            coverage.forEach(line -> md.append(line).append('\n'));
        }

        Map<String, Integer> skipNotes = new LinkedHashMap<>();
        md.append("\n## Clauses × targets\n\n");
        md.append("| clause |");
        for (Matrix.Column c : matrix.columns()) md.append(' ').append(cell(c.title())).append(" |");
        md.append("\n|---|");
        md.append("---|".repeat(matrix.columns().size()));
        md.append('\n');
        for (Matrix.Row row : matrix.rows()) {
            md.append("| **").append(row.clauseId()).append("** ").append(cell(row.sentence())).append(" |");
            for (Matrix.Column c : matrix.columns()) {
                ClauseOutcome o = row.cells().get(c);
                md.append(' ');
                if (o == null) {
                    md.append("–");
                } else if (o.status() == Status.PASSED) {
                    md.append("pass");
                } else if (o.status() == Status.FAILED) {
                    md.append("**FAIL**");
                } else if (o.status() == Status.OPTIONAL_FAILED) {
                    md.append("optional fail");
                } else if (o.status() == Status.TARGET_ERROR) {
                    md.append("**TARGET ERROR**");
                } else {
                    int note = skipNotes.computeIfAbsent(o.reason(), r -> skipNotes.size() + 1);
                    md.append("skip [").append(note).append(']');
                }
                md.append(" |");
            }
            md.append('\n');
        }
        if (!skipNotes.isEmpty()) {
            md.append("\nSkip reasons:\n\n");
            skipNotes.forEach((reason, note) -> md.append(note).append(". ").append(reason.isEmpty() ? "(no reason given)" : reason).append('\n'));
        }

        List<ClauseOutcome> failures = matrix.failures();
        if (!failures.isEmpty()) {
            md.append("\n## Failures\n");
            for (ClauseOutcome o : failures) {
                md.append("\n### ").append(o.clauseId()).append(" on ").append(o.target())
                        .append(" (").append(o.edition()).append(")\n\n");
                md.append(o.sentence()).append("\n\n");
                if (!o.reason().isEmpty()) md.append("> ").append(StepText.firstLine(o.reason())).append("\n\n");
                md.append("- Seed: `").append(o.seed()).append("`\n");
                if (!o.replay().isEmpty()) md.append("- Replay: `").append(o.replay()).append("`\n");
                if (!o.shrunk().isEmpty()) {
                    md.append("- Shrunk sequence (").append(o.shrunk().size()).append(" steps):\n\n```\n");
                    int n = 1;
                    for (Step s : o.shrunk()) md.append(StepText.line(n++, s)).append('\n');
                    md.append("```\n");
                }
            }
        }

        Map<String, List<Matrix.Row>> peers = matrix.peerCoverage();
        if (!peers.isEmpty()) {
            md.append("\n## Peer coverage (kernel selftests)\n\n");
            md.append("| selftest | clauses covering it |\n|---|---|\n");
            peers.forEach((test, rows) -> {
                List<String> parts = new ArrayList<>();
                for (Matrix.Row row : rows) parts.add(row.clauseId() + " " + counts(row));
                md.append("| `").append(cell(test)).append("` | ").append(String.join(", ", parts)).append(" |\n");
            });
        }
        return md.toString();
    }

    /** e.g. {@code (2 pass, 1 skip)} */
    private static String counts(Matrix.Row row) {
        return row.counts().entrySet().stream()
                .map(e -> e.getValue() + " " + word(e.getKey()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String word(Status status) {
        return switch (status) {
            case PASSED -> "pass";
            case FAILED -> "FAIL";
            case SKIPPED -> "skip";
            case OPTIONAL_FAILED -> "optional fail";
            case TARGET_ERROR -> "TARGET ERROR";
        };
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
