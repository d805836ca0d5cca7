package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.report.CReproducer;
import dev.gmem.report.ClauseOutcome;
import dev.gmem.report.ComplianceReports;
import dev.gmem.report.KernelRelease;
import dev.gmem.report.OutcomeLog;
import dev.gmem.report.ResultsFolder;
import dev.gmem.report.RunFacts;
import dev.gmem.report.RunReport;
import dev.gmem.report.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps what a run finds in the results folder as soon as it is decided: one line per outcome in
 * outcomes.jsonl, a C reproducer per failure, run.json with the run's facts, and the compliance
 * reports at the end. An I/O problem is reported in one line and never stops the run.
 */
public final class RunRecorder {
    /** {@code -Dgmem.append=true}: add to the results folder's outcomes instead of starting a new log. */
    public static final String APPEND = "gmem.append";

    private final ResultsFolder results;
    private final long seed;
    private final Map<String, List<String>> facts = new LinkedHashMap<>();
    private final List<ClauseOutcome> outcomes = new ArrayList<>();

    public RunRecorder(ResultsFolder results, long seed) {
        this.results = results;
        this.seed = seed;
    }

    public ResultsFolder results() {
        return results;
    }

    /** Starts a run: the previous run's outcome log is kept as outcomes.previous.jsonl. */
    public void start(List<Target> targets) {
        try {
            Files.createDirectories(results.dir());
            if (!Boolean.getBoolean(APPEND) && Files.exists(results.outcomes())) {
                Files.move(results.outcomes(), results.dir().resolve("outcomes.previous.jsonl"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            warn("cannot prepare " + results.dir(), e);
        }
        for (Target t : targets) {
            List<String> lines = new ArrayList<>();
            t.facts().forEach((k, v) -> lines.add(k + ": " + v));
            for (Edition e : t.editions()) {
                t.capabilities(e).unsupported().forEach((kind, why) -> lines.add(e.name() + " cannot " + kind + ": " + why));
                t.capabilities(e).findings().forEach(f -> lines.add(e.name() + ": " + f));
            }
            facts.put(t.name(), lines);
        }
        writeFacts();
    }

    /** Records one decided outcome at once; returns the C reproducer of a failure, if one could be made. */
    public synchronized Optional<String> record(ClauseOutcome outcome, Edition edition) {
        outcomes.add(outcome);
        try {
            OutcomeLog.append(results.outcomes(), outcome);
        } catch (IOException e) {
            warn("cannot append to " + results.outcomes(), e);
        }
        if (outcome.status() != Status.FAILED || outcome.shrunk().isEmpty()) return Optional.empty();
        try {
            String c = CReproducer.generate(edition, outcome.shrunk());
            Path file = results.reproducers().resolve(outcome.clauseId() + "-" + safe(outcome.target()) + "-" + outcome.edition() + ".c");
            Files.createDirectories(file.getParent());
            Files.writeString(file, c);
            return Optional.of(c);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: an operation or observation the C generator has no form for
            warn("no C reproducer for " + outcome.clauseId(), e);
            return Optional.empty();
        }
    }

    /** Ends the run: the compliance reports of everything recorded. */
    public synchronized void finish() {
        writeFacts();
        try {
            ComplianceReports.write(new RunReport(KernelRelease.current(), seed, facts, outcomes), results.dir());
        } catch (IOException e) {
            warn("cannot write the compliance reports into " + results.dir(), e);
        }
    }

    private void writeFacts() {
        try {
            RunFacts.write(results.runFacts(), KernelRelease.current(), seed, facts);
        } catch (IOException e) {
            warn("cannot write " + results.runFacts(), e);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void warn(String what, Exception e) {
        System.err.println("gmem-conformance: " + what + ": " + e.getMessage());
    }
}
