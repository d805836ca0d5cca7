package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.ci.report.ComplianceReports.Matrix;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The compliance summary in Markdown, the full matrix, every line at most {@value #WIDTH} columns:
 * the table holds clause ids and statuses, the sentences, skip reasons, failures and peer
 * selftests follow as wrapped lists. (The mail-sized summary is {@link MailSummary}.)
 */
final class SummaryMarkdown {
    static final int WIDTH = 100;

    private SummaryMarkdown() {
    }

    static String render(RunReport run, Matrix matrix) {
        List<String> md = new ArrayList<>();
        Map<Status, Integer> totals = matrix.totals();
        md.add("# guest_memfd conformance summary");
        md.add("");
        run.plan().kernelNotTested().ifPresent(why -> {
            md.addAll(TextWrap.wrap("**kernel not tested: " + why + "**", WIDTH, "", ""));
            md.add("");
        });
        run.interruption().ifPresent(line -> {
            md.addAll(TextWrap.wrap("**" + line + "**: the run ended before it decided every planned clause; the undecided"
                    + " ones are marked \"not decided\" below and nothing here is a verdict on them.", WIDTH, "", ""));
            md.add("");
        });
        md.add("- Run: `" + run.plan().runId() + "` (kit `" + run.kitVersion() + "`)");
        md.add("- Kernel release: `" + run.kernelRelease() + "`");
        md.add("- Seed: `" + run.seed() + "`");
        md.addAll(TextWrap.wrap("Result: " + totals.get(Status.PASSED) + " passed, " + totals.get(Status.FAILED) + " failed, "
                + totals.get(Status.SKIPPED) + " skipped"
                + (totals.get(Status.OPTIONAL_FAILED) > 0 ? ", " + totals.get(Status.OPTIONAL_FAILED) + " optional failed" : "")
                + (run.interrupted() ? ", " + run.undecided().size() + " not decided" : "")
                + " (clause × target × edition)", WIDTH, "- ", "  "));
        md.addAll(TextWrap.wrap("Exit status: " + run.exitStatus().code() + " (" + run.exitStatus().meaning() + ")", WIDTH, "- ", "  "));
        if (!run.facts().isEmpty()) {
            md.add("");
            md.add("## Run facts: the targets and what they detected");
            md.add("");
            run.facts().forEach((target, facts) -> {
                md.add("- **" + target + "**" + (facts.isEmpty() ? ": nothing detected" : ""));
                for (String fact : facts) md.addAll(TextWrap.wrap(fact, WIDTH, "  - ", "    "));
            });
        }

        Set<PlanItem> undecided = new HashSet<>(run.undecided());
        List<String> coverage = new ArrayList<>();
        for (Matrix.Row row : matrix.rows()) {
            row.cells().forEach((c, o) -> o.transitionCoverage().ifPresent(t -> coverage.add(o.target() + ": " + t)));
        }
        if (!coverage.isEmpty()) {
            md.add("");
            md.add("## Model-transition coverage (SEQ)");
            md.add("");
            for (String line : coverage) md.addAll(TextWrap.wrap(line, WIDTH, "- ", "  "));
        }
        table(md, matrix, undecided);
        failures(md, matrix);
        peers(md, matrix);
        return String.join("\n", md) + "\n";
    }

    private static void table(List<String> md, Matrix matrix, Set<PlanItem> undecided) {
        Map<String, Integer> skipNotes = new LinkedHashMap<>();
        List<String> titles = matrix.columns().stream().map(c -> cell(c.title())).toList();
        String header = "| clause | " + String.join(" | ", titles) + " |";
        boolean numbered = header.length() > WIDTH;
        md.add("");
        md.add("## Clauses × targets");
        md.add("");
        if (numbered) {
            for (int i = 0; i < titles.size(); i++) md.add((i + 1) + ". " + titles.get(i));
            md.add("");
            List<String> numbers = new ArrayList<>();
            for (int i = 0; i < titles.size(); i++) numbers.add(Integer.toString(i + 1));
            header = "| clause | " + String.join(" | ", numbers) + " |";
        }
        md.add(header);
        md.add("|---|" + "---|".repeat(matrix.columns().size()));
        for (Matrix.Row row : matrix.rows()) {
            StringBuilder line = new StringBuilder("| **").append(row.clauseId()).append("** |");
            for (Matrix.Column c : matrix.columns()) {
                ClauseOutcome o = row.cells().get(c);
                line.append(' ');
                if (o == null) {
                    line.append(undecided.contains(new PlanItem(row.clauseId(), c.target(), c.edition())) ? "not decided" : "–");
                } else if (o.status() == Status.SKIPPED) {
                    int note = skipNotes.computeIfAbsent(o.reason(), r -> skipNotes.size() + 1);
                    line.append("skip [").append(note).append(']');
                } else if (!StatusWords.ktapOk(o.status())) {
                    line.append("**").append(StatusWords.word(o.status())).append("**");
                } else {
                    line.append(StatusWords.word(o.status()));
                }
                line.append(" |");
            }
            md.add(line.toString());
        }
        md.add("");
        md.add("Clauses:");
        md.add("");
        for (Matrix.Row row : matrix.rows()) {
            md.addAll(TextWrap.wrap("**" + row.clauseId() + "** " + row.sentence(), WIDTH, "- ", "  "));
        }
        if (!skipNotes.isEmpty()) {
            md.add("");
            md.add("Skip reasons:");
            md.add("");
            skipNotes.forEach((reason, note) -> md.addAll(TextWrap.wrap(
                    reason.isEmpty() ? "(no reason given)" : StepText.firstLine(reason), WIDTH, note + ". ", "   ")));
        }
    }

    private static void failures(List<String> md, Matrix matrix) {
        List<ClauseOutcome> failures = matrix.failures();
        if (failures.isEmpty()) return;
        md.add("");
        md.add("## Failures");
        for (ClauseOutcome o : failures) {
            md.add("");
            md.add("### " + o.clauseId() + " on " + o.target() + " (" + o.edition() + ")");
            md.add("");
            md.addAll(TextWrap.wrap(o.sentence(), WIDTH, "", ""));
            md.add("");
            if (!o.reason().isEmpty()) {
                md.addAll(TextWrap.wrap(StepText.firstLine(o.reason()), WIDTH, "> ", "> "));
                md.add("");
            }
            md.add("- Seed: `" + o.seed() + "`");
            if (!o.replay().isEmpty()) {
                md.add("- Replay:");
                md.add("");
                md.add("  ```sh");
                md.addAll(TextWrap.command(o.replay(), WIDTH, "  "));
                md.add("  ```");
            }
            if (!o.shrunk().isEmpty()) {
                md.add("- Shrunk sequence (" + o.shrunk().size() + " steps):");
                md.add("");
                md.add("  ```");
                int n = 1;
                for (Step s : o.shrunk()) md.addAll(TextWrap.wrap(StepText.line(n++, s), WIDTH, "  ", "       "));
                md.add("  ```");
            }
        }
    }

    /** The kernel selftests named in the catalogue, by file, each with the clauses covering it. */
    private static void peers(List<String> md, Matrix matrix) {
        Map<String, List<Matrix.Row>> peers = matrix.peerCoverage();
        if (peers.isEmpty()) return;
        md.add("");
        md.add("## Peer coverage (kernel selftests)");
        String file = null;
        for (Map.Entry<String, List<Matrix.Row>> e : peers.entrySet()) {
            String test = e.getKey();
            int colon = test.lastIndexOf(':');
            String thisFile = colon < 0 ? "" : test.substring(0, colon);
            String function = colon < 0 ? test : test.substring(colon + 1);
            if (!thisFile.equals(file)) {
                file = thisFile;
                md.add("");
                md.add("`" + (file.isEmpty() ? "(no file)" : file) + "`:");
                md.add("");
            }
            List<String> parts = new ArrayList<>();
            for (Matrix.Row row : e.getValue()) parts.add(row.clauseId() + " " + counts(row));
            md.addAll(TextWrap.wrap("`" + function + "`: " + String.join(", ", parts), WIDTH, "- ", "  "));
        }
    }

    /** e.g. {@code (2 pass, 1 skip)} */
    private static String counts(Matrix.Row row) {
        return row.counts().entrySet().stream()
                .map(e -> e.getValue() + " " + StatusWords.word(e.getKey()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
