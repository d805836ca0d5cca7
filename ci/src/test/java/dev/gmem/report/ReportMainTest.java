package dev.gmem.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportMainTest {

    @Test
    void writesTheReportsAndOneReproducerPerFailure(@TempDir Path dir) throws IOException {
        RunReport run = RunReports.fixed();
        ResultsFolder results = new ResultsFolder(dir);
        RunFacts.write(results.runFacts(), run.kernelRelease(), run.seed(), run.facts());
        for (ClauseOutcome o : run.outcomes()) OutcomeLog.append(results.outcomes(), o);

        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isZero();

        assertThat(dir.resolve("summary.md")).isRegularFile();
        assertThat(dir.resolve("results.ktap")).isRegularFile();
        Path c = results.reproducers().resolve("REF-1-model_inplace-v8-inplace-v8.c");
        assertThat(Files.readString(c)).contains("REF-1: sentence of REF-1")
                .contains("replay in Java: ./gmem-conformance --replay REF-1 --seed 42").contains("int main(void)");
        assertThat(Files.list(results.reproducers())).hasSize(1);
    }

    @Test
    void theRunsFactsGoToAlluresEnvironment(@TempDir Path dir) throws IOException {
        RunReport run = RunReports.fixed();
        ResultsFolder results = new ResultsFolder(dir);
        RunFacts.write(results.runFacts(), run.kernelRelease(), run.seed(), run.facts());
        for (ClauseOutcome o : run.outcomes()) OutcomeLog.append(results.outcomes(), o);
        Files.createDirectories(results.allureResults());
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isZero();
        java.util.Properties environment = new java.util.Properties();
        try (var in = Files.newBufferedReader(results.allureResults().resolve("environment.properties"))) {
            environment.load(in);
        }
        assertThat(environment.getProperty("kernel release")).isEqualTo("6.18.0-test");
        assertThat(environment.getProperty("seed")).isEqualTo("42");
        assertThat(environment.getProperty("kernel")).contains("generation detected: gmem-mmap");
    }

    @Test
    void aReproducerTheSuiteWroteIsKept(@TempDir Path dir) throws IOException {
        ResultsFolder results = new ResultsFolder(dir);
        for (ClauseOutcome o : RunReports.fixed().outcomes()) OutcomeLog.append(results.outcomes(), o);
        Path c = results.reproducers().resolve("REF-1-model_inplace-v8-inplace-v8.c");
        Files.createDirectories(c.getParent());
        Files.writeString(c, "/* the suite's */");
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isZero();
        assertThat(Files.readString(c)).isEqualTo("/* the suite's */");
    }

    @Test
    void anEmptyFolderOrABadOptionIsUsageError(@TempDir Path dir) throws IOException {
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isEqualTo(2);
        assertThat(ReportMain.run(new String[] {"--nonsense"})).isEqualTo(2);
        assertThat(dir.resolve("summary.md")).doesNotExist();
    }
}
