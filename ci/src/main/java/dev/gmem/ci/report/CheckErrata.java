package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.ExitStatus;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.Status;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code ci/check-errata}'s Java half: sorts the FAILED outcomes of a run into known kernel errata
 * and new failures, one line each. A failure is a known erratum when the kernel release and the
 * clause match its {@code ci/known-kernel-errata} entry and its recorded shrunk sequence has the
 * entry's {@link ErratumShape}. Exit status: the number of new failures (at most 125), 2 on bad usage.
 *
 * <p>{@code java -cp ... dev.gmem.ci.report.CheckErrata LIST [--edition E] RESULTS}
 */
public final class CheckErrata {
    /** One line of the list: id, kernel release (regex), clause ids (regex), shape, what it is. */
    record Entry(String id, Pattern release, Pattern clauses, ErratumShape shape, String what) {
    }

    private CheckErrata() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        String edition = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--edition") && i + 1 < args.length) edition = args[++i];
            else rest.add(args[i]);
        }
        if (rest.size() != 2) {
            out.println("check-errata: usage: ci/check-errata [--edition E] RESULTS");
            return ExitStatus.USAGE.code();
        }
        List<Entry> list;
        RunReport run;
        ResultsFolder folder = ResultsFolder.resolve(Path.of(rest.get(1)));
        try {
            list = read(Path.of(rest.get(0)));
            if (!Files.exists(folder.outcomes())) {
                out.println("check-errata: no outcomes.jsonl in '" + rest.get(1) + "' (usage: ci/check-errata [--edition E] RESULTS)");
                return ExitStatus.USAGE.code();
            }
            run = RunFacts.read(folder);
        } catch (IOException | IllegalArgumentException e) {
            out.println("check-errata: " + e.getMessage());
            return ExitStatus.USAGE.code();
        }
        int unknown = 0;
        for (ClauseOutcome o : run.outcomes()) {
            if (o.status() != Status.FAILED || (edition != null && !edition.equals(o.edition()))) continue;
            String divergence = divergence(o);
            Optional<Entry> known = classify(list, run.kernelRelease(), o);
            if (known.isPresent()) {
                out.println("check-errata: known kernel erratum on " + run.kernelRelease() + ", " + o.clauseId() + ": "
                        + known.get().id() + ": " + known.get().what());
                out.println("check-errata:   " + divergence);
            } else {
                unknown++;
                out.println("check-errata: new failure on " + run.kernelRelease() + ", " + o.clauseId() + ": " + divergence);
                printEvidence(o, out);
            }
        }
        return Math.min(unknown, 125);
    }

    /** The entry a failure is an instance of: release, clause and the shape of its shrunk sequence. */
    static Optional<Entry> classify(List<Entry> list, String release, ClauseOutcome o) {
        return list.stream().filter(e -> e.release().matcher(release).matches() && e.clauses().matcher(o.clauseId()).matches()
                && e.shape().matches(o.shrunk())).findFirst();
    }

    /** Most lines of a failure a CI log shows: its results folder may be gone when somebody reads the log. */
    static final int EVIDENCE_LINES = 60;

    /** A new failure's whole reason (the shrunk steps, or the history picture of a race), indented. */
    private static void printEvidence(ClauseOutcome o, PrintStream out) {
        String[] lines = o.reason().split("\n");
        for (int i = 0; i < Math.min(lines.length, EVIDENCE_LINES); i++) out.println("check-errata:   | " + lines[i]);
        if (lines.length > EVIDENCE_LINES) {
            out.println("check-errata:   | ... " + (lines.length - EVIDENCE_LINES) + " more line(s) in outcomes.jsonl");
        }
    }

    private static String divergence(ClauseOutcome o) {
        for (String line : o.reason().split("\n")) if (line.startsWith("shrunk: ")) return line.substring("shrunk: ".length());
        return StepText.firstLine(o.reason());
    }

    static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length != 5) throw new IllegalArgumentException(file + ":" + number + ": expected 5 TAB-separated fields");
            int at = number;
            ErratumShape shape = ErratumShape.byId(f[3]).orElseThrow(() -> new IllegalArgumentException(file + ":" + at
                    + ": no erratum shape named '" + f[3] + "' (known: " + List.of(ErratumShape.values()) + ")"));
            out.add(new Entry(f[0], Pattern.compile(f[1]), Pattern.compile(f[2]), shape, f[4]));
        }
        return out;
    }
}
