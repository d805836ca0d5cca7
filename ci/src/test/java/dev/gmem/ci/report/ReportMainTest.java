package dev.gmem.ci.report;

import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ReportMainTest {

    @Test
    void writesTheReportsAndOneReproducerPerFailure(@TempDir Path dir) throws IOException {
        RunReport run = RunReports.fixed();
        ResultsFolder results = RunReports.recorded(run, dir);

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
        ResultsFolder results = RunReports.recorded(run, dir);
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

    /** One path: the files the listeners write during a run are the files the replay of its log writes. */
    @Test
    void theReplayWritesWhatTheListenersWroteDuringTheRun(@TempDir Path dir) throws IOException {
        RunReport run = RunReports.fixed();
        RunPlan plan = new RunPlan("r1", "test", run.kernelRelease(), run.seed(), Map.of(), run.facts(),
                run.outcomes().stream().map(o -> new PlanItem(o.clauseId(), o.target(), o.edition())).toList(), dir);
        OutcomeListeners live = OutcomeListeners.load(type -> type != AllureWriter.class);
        ReportMain.replay(plan, run.outcomes(), live);
        assertThat(live.failed()).isFalse();
        Map<String, String> during = contents(dir);
        assertThat(during).containsKeys("outcomes.jsonl", "run.json", "summary.md", "summary.json", "results.ktap",
                "reproducers/REF-1-model_inplace-v8-inplace-v8.c");

        for (String name : List.of("summary.md", "summary.json", "results.ktap", "reproducers/REF-1-model_inplace-v8-inplace-v8.c")) {
            Files.delete(dir.resolve(name));
        }
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isZero();
        assertThat(contents(dir)).isEqualTo(during);
    }

    @Test
    void everyReportWriterIsAServiceAndTheReplaySkipsOnlyTheRecorders() {
        List<Class<?>> all = OutcomeListeners.load().listeners().stream().<Class<?>>map(Object::getClass).toList();
        assertThat(all).containsExactlyInAnyOrder(RunFactsWriter.class, OutcomeLogWriter.class, ReproducerWriter.class,
                AllureWriter.class, ComplianceReportWriter.class, AllureEnvironmentWriter.class);
        List<Class<?>> replayed = OutcomeListeners.load(type -> !ReportMain.NOT_REPLAYED.contains(type)).listeners().stream()
                .<Class<?>>map(Object::getClass).toList();
        assertThat(replayed).containsExactlyInAnyOrder(ReproducerWriter.class, ComplianceReportWriter.class, AllureEnvironmentWriter.class);
    }

    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), Files.readString(f));
            }
        }
        return out;
    }

    @Test
    void anEmptyFolderOrABadOptionIsUsageError(@TempDir Path dir) throws IOException {
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isEqualTo(2);
        assertThat(ReportMain.run(new String[] {"--nonsense"})).isEqualTo(2);
        assertThat(dir.resolve("summary.md")).doesNotExist();
    }
}
