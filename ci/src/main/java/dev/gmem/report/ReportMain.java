package dev.gmem.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code ci/report}'s Java half: reads a results folder ({@code outcomes.jsonl}, {@code run.json}),
 * writes the Markdown and JSON summaries and the KTAP file, writes the C reproducer of every failed
 * outcome that has none yet, and prints the paths, one a line.
 */
public final class ReportMain {
    private ReportMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IOException | RuntimeException e) {
            System.err.println("report: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) throws IOException {
        ResultsFolder results = ResultsFolder.fromSystem();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--results") && i + 1 < args.length) {
                results = new ResultsFolder(Path.of(args[++i]));
            } else {
                System.err.println("report: unknown argument '" + args[i] + "'; usage: ci/report [--results DIR]");
                return 2;
            }
        }
        RunReport run = RunFacts.read(results);
        if (run.outcomes().isEmpty()) {
            System.err.println("report: no clause outcomes in " + results.outcomes()
                    + ": run the suite first (./gmem-conformance), or try ci/report --demo");
            return 2;
        }
        List<Path> written = new ArrayList<>(ComplianceReports.write(run, results.dir()));
        written.addAll(writeReproducers(run, results));
        if (Files.isDirectory(results.allureResults())) writeAllureEnvironment(run, results.allureResults());
        for (Path p : written) System.out.println(p);
        return 0;
    }

    /** The run's facts on the HTML report's overview page (Allure's environment widget). */
    static void writeAllureEnvironment(RunReport run, Path allureResults) throws IOException {
        Properties environment = new Properties();
        environment.setProperty("kernel release", run.kernelRelease());
        environment.setProperty("seed", Long.toString(run.seed()));
        run.facts().forEach((target, facts) -> environment.setProperty(target, String.join("; ", facts)));
        try (Writer out = Files.newBufferedWriter(allureResults.resolve("environment.properties"), StandardCharsets.UTF_8)) {
            environment.store(out, "gmem-conformance run");
        }
    }

    /** The reproducers of failed outcomes that the suite did not write already. */
    static List<Path> writeReproducers(RunReport run, ResultsFolder results) throws IOException {
        List<Path> out = new ArrayList<>();
        for (ClauseOutcome o : run.outcomes()) {
            if (o.status() != Status.FAILED) continue;
            Path file = results.reproducers().resolve(CReproducer.fileName(o));
            if (!Files.exists(file)) {
                Optional<String> source = CReproducer.generate(o);
                if (source.isEmpty()) continue;
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.get(), StandardCharsets.UTF_8);
            }
            out.add(file);
        }
        return out;
    }
}
