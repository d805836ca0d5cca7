package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the compliance summaries (Markdown, mail-sized text, JSON), the KTAP file and the JUnit XML of a run into a folder
 * ({@link ComplianceReportWriter} calls it at the end of a run).
 */
public final class ComplianceReports {
    public static final String MARKDOWN = "summary.md";
    public static final String MAIL = "summary.txt";
    public static final String JSON = "summary.json";
    public static final String KTAP = "results.ktap";
    public static final String JUNIT = "junit.xml";

    private ComplianceReports() {
    }

    /** Writes every report of {@code run} into {@code dir}; returns the files written. */
    public static List<Path> write(RunReport run, Path dir) throws IOException {
        Files.createDirectories(dir);
        Matrix matrix = Matrix.of(run);
        Path md = dir.resolve(MARKDOWN);
        Path mail = dir.resolve(MAIL);
        Path json = dir.resolve(JSON);
        Path ktap = dir.resolve(KTAP);
        Files.writeString(md, SummaryMarkdown.render(run, matrix), StandardCharsets.UTF_8);
        Files.writeString(mail, MailSummary.render(run, matrix), StandardCharsets.US_ASCII);
        Files.writeString(json, Json.writePretty(summaryJson(run, matrix)), StandardCharsets.UTF_8);
        Files.writeString(ktap, Ktap.render(run, matrix), StandardCharsets.UTF_8);
        Path junit = dir.resolve(JUNIT);
        Files.writeString(junit, JUnitXml.render(run), StandardCharsets.UTF_8);
        return List.of(md, mail, json, ktap, junit);
    }

    static Map<String, Object> summaryJson(RunReport run, Matrix matrix) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", run.plan().runId());
        run.plan().kernelNotTested().ifPresent(why -> out.put("kernelNotTested", why));
        out.put("kitVersion", run.plan().kitVersion());
        out.put("complete", !run.interrupted());
        run.interruption().ifPresent(line -> out.put("interrupted", line));
        out.put("planned", (long) run.end().planned());
        out.put("decided", (long) run.end().decided());
        out.put("exitStatus", (long) run.exitStatus().code());
        out.put("kernelRelease", run.kernelRelease());
        out.put("seed", run.seed());
        out.put("run", run.completion());
        out.put("facts", RecordJson.toJson(new LinkedHashMap<>(run.facts()), Map.class));
        Map<String, Object> totals = new LinkedHashMap<>();
        matrix.totals().forEach((status, n) -> totals.put(StatusWords.json(status), (long) n));
        out.put("totals", totals);
        List<Object> columns = new ArrayList<>();
        for (Matrix.Column c : matrix.columns()) {
            columns.add(mapOf("target", c.target(), "edition", c.edition()));
        }
        out.put("columns", columns);
        List<Object> clauses = new ArrayList<>();
        for (Matrix.Row row : matrix.rows()) {
            Map<String, Object> clause = mapOf("id", row.clauseId(), "group", row.group(), "sentence", row.sentence());
            clause.put("peerTests", new ArrayList<Object>(row.peerTests()));
            List<Object> cells = new ArrayList<>();
            for (Matrix.Column c : matrix.columns()) {
                ClauseOutcome o = row.cells().get(c);
                if (o == null) continue;
                Map<String, Object> cell = mapOf("target", c.target(), "edition", c.edition(),
                        "status", StatusWords.json(o.status()));
                if (!o.reason().isEmpty()) cell.put("reason", o.reason());
                if (o.status() == Status.FAILED) {
                    cell.put("seed", o.seed());
                    cell.put("replay", o.replay());
                    List<Object> steps = new ArrayList<>();
                    for (Step step : o.shrunk()) steps.add(RecordJson.toJson(step, Step.class));
                    cell.put("shrunk", steps);
                    o.raceCase().ifPresent(r -> cell.put("race", RecordJson.toJson(r, RaceCase.class)));
                }
                cells.add(cell);
            }
            clause.put("results", cells);
            clauses.add(clause);
        }
        out.put("clauses", clauses);
        List<Object> peers = new ArrayList<>();
        matrix.peerCoverage().forEach((test, rows) -> {
            List<Object> covering = new ArrayList<>();
            for (Matrix.Row row : rows) {
                Map<String, Object> counts = new LinkedHashMap<>();
                row.counts().forEach((status, n) -> counts.put(StatusWords.json(status), (long) n));
                covering.add(mapOf("clause", row.clauseId(), "status", StatusWords.json(row.overall()), "counts", counts));
            }
            peers.add(mapOf("test", test, "clauses", covering));
        });
        out.put("peerCoverage", peers);
        List<Object> undecided = new ArrayList<>();
        for (PlanItem i : run.undecided()) undecided.add(mapOf("clause", i.clauseId(), "target", i.target(), "edition", i.edition()));
        out.put("undecided", undecided);
        return out;
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    /** The run as a table: one row per clause, one column per target and edition. */
    record Matrix(List<Column> columns, List<Row> rows) {

        record Column(String target, String edition) {
            String title() {
                return target.equals(edition) || target.endsWith(":" + edition) ? target : target + " (" + edition + ")";
            }
        }

        record Row(String clauseId, String group, String sentence, Set<String> peerTests, Map<Column, ClauseOutcome> cells) {

            Map<Status, Integer> counts() {
                Map<Status, Integer> counts = new EnumMap<>(Status.class);
                for (ClauseOutcome o : cells.values()) counts.merge(o.status(), 1, Integer::sum);
                return counts;
            }

            /** Failed if any target failed it, a target error if one broke, passed if any passed, else skipped. */
            Status overall() {
                Map<Status, Integer> counts = counts();
                if (counts.containsKey(Status.FAILED)) return Status.FAILED;
                if (counts.containsKey(Status.TARGET_ERROR)) return Status.TARGET_ERROR;
                if (counts.containsKey(Status.PASSED)) return Status.PASSED;
                return Status.SKIPPED;
            }
        }

        /** Every planned clause and column (an undecided one has no cell), in the plan's order, then what was decided. */
        static Matrix of(RunReport run) {
            Set<Column> columns = new LinkedHashSet<>();
            Map<String, Row> rows = new LinkedHashMap<>();
            Map<String, ClauseOutcome> anyOutcome = new LinkedHashMap<>();
            for (ClauseOutcome o : run.outcomes()) anyOutcome.putIfAbsent(o.clauseId(), o);
            for (PlanItem i : run.plan().items()) {
                columns.add(new Column(i.target(), i.edition()));
                ClauseOutcome known = anyOutcome.get(i.clauseId());
                rows.computeIfAbsent(i.clauseId(), id -> known != null
                        ? new Row(id, known.group(), known.sentence(), new LinkedHashSet<>(), new LinkedHashMap<>())
                        : new Row(id, id.contains("-") ? id.substring(0, id.indexOf('-')) : id, "", new LinkedHashSet<>(),
                        new LinkedHashMap<>()));
            }
            for (ClauseOutcome o : run.outcomes()) {
                Column column = new Column(o.target(), o.edition());
                columns.add(column);
                Row row = rows.computeIfAbsent(o.clauseId(),
                        id -> new Row(id, o.group(), o.sentence(), new LinkedHashSet<>(), new LinkedHashMap<>()));
                row.peerTests().addAll(o.peerTests());
                // a clause decided twice on one column (a rerun appended to the log): the later one counts
                row.cells().put(column, o);
            }
            return new Matrix(List.copyOf(columns), List.copyOf(rows.values()));
        }

        Map<Status, Integer> totals() {
            Map<Status, Integer> totals = new EnumMap<>(Status.class);
            for (Status s : Status.values()) totals.put(s, 0);
            for (Row row : rows) for (ClauseOutcome o : row.cells().values()) totals.merge(o.status(), 1, Integer::sum);
            return totals;
        }

        /** Each kernel selftest function named in the catalogue, with the clauses that cover it. */
        Map<String, List<Row>> peerCoverage() {
            Map<String, List<Row>> out = new LinkedHashMap<>();
            for (Row row : rows) {
                for (String test : row.peerTests()) out.computeIfAbsent(test, t -> new ArrayList<>()).add(row);
            }
            return out.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        }

        List<ClauseOutcome> failures() {
            List<ClauseOutcome> out = new ArrayList<>();
            for (Row row : rows) {
                for (ClauseOutcome o : row.cells().values()) if (o.status() == Status.FAILED) out.add(o);
            }
            return out;
        }
    }
}
