package dev.gmem.ci.report;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.outcome.Answer;
import dev.gmem.api.Operation;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.HistoryText;
import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.api.outcome.RaceThread;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.model.Expectation;
import dev.gmem.model.Interleavings;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed RACE outcome in the reports: its concurrent case is in summary.json, survives the outcome
 * log and the replay of {@code ci/report} (the same concurrent C reproducer is written again), and the Allure
 * writer, through Allure's own file writer, leaves a result whose attachments hold the history
 * picture, the concurrent case and the concurrent C reproducer.
 */
class RaceOutcomeReportsTest {
    private static final Edition EDITION = Edition.GMEM_MMAP;
    private static final ReferenceModel MODEL = ReferenceModel.of(EDITION);
    private static final String PICTURE = """
            prefix (sequential):
                create 2p flags 0x3
                    µs thread 0 (host)                   thread 1 (host)
                   0.0 ┌ punch g0[p0+2p]*
                  12.5 │                                 ┌ read g0[p0+8b]*
                  13.0 │                                 └ 8b:0x0*
                  14.0 │                                 ┌ read g0[p1+8b]*
                  14.2 │                                 └ 8b:0x11*
                  30.0 └ ok*
            """;

    /** A punch of two written pages racing reads of both, the second read seeing the old bytes after the first saw zero. */
    static ClauseOutcome raceOutcome() {
        List<Operation> prefixOps = List.of(
                new Operation.Create(0, 2 * PAGE_SIZE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED),
                new Operation.HostWrite(0, 0, 2 * PAGE_SIZE, (byte) 0x11, 0));
        List<Step> prefix = new ArrayList<>();
        ModelState s = MODEL.initial();
        for (Operation op : prefixOps) {
            Expectation e = MODEL.expect(s, op);
            prefix.add(new Step(op, e.example(), e.describe(), e.example(), false));
            s = e.next(e.example());
        }
        List<Operation> punch = List.of(new Operation.PunchHole(0, 0, 2 * PAGE_SIZE));
        List<Operation> reads = List.of(new Operation.HostRead(0, 0, 8, 0), new Operation.HostRead(0, PAGE_SIZE, 8, 0));
        List<List<Answer>> rows = List.copyOf(Interleavings.outcomes(MODEL, s, List.of(punch, reads)));
        List<RaceThread> threads = List.of(
                new RaceThread(RaceThread.Role.HOST, punch, List.of(Observation.Ok.INSTANCE)),
                new RaceThread(RaceThread.Role.HOST, reads, List.of(
                        new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 0)),
                        new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 0x11)))));
        RaceCase race = new RaceCase(prefix, threads, rows, "", 20, 3);
        String reason = "RACE-2 failed on toy:punch (edition gmem-mmap): punches racing host accesses are linearizable\n"
                + race.rate() + "\n" + HistoryText.wrap(PICTURE);
        return new ClauseOutcome("RACE-2", "RACE", "a punch hole and host reads of its range are linearizable", List.of(),
                "toy:punch", EDITION.name(), Status.FAILED, reason, 14, "./gmem-conformance --target toy:punch --clause RACE-2 --seed 14",
                List.of(), List.of("test cases: 3"), race);
    }

    private static RunPlan plan(ClauseOutcome o, Path dir) {
        return new RunPlan("race-1", "test", "6.18.0-test", o.seed(), Map.of(), Map.of(),
                List.of(new PlanItem(o.clauseId(), o.target(), o.edition())), dir);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summaryCell(Path dir) throws IOException {
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(dir.resolve(ComplianceReports.JSON)));
        Map<String, Object> clause = ((List<Map<String, Object>>) summary.get("clauses")).get(0);
        return ((List<Map<String, Object>>) clause.get("results")).get(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConcurrentCaseSurvivesTheLogAndTheReplayWritesTheSameReproducer(@TempDir Path dir) throws IOException {
        ClauseOutcome outcome = raceOutcome();
        assertThat(outcome.raceCase().orElseThrow().answers()).hasSizeGreaterThan(1);
        RunPlan plan = plan(outcome, dir);
        OutcomeListeners live = OutcomeListeners.load(type -> type != AllureWriter.class);
        live.runStarted(plan);
        live.itemDecided(outcome);
        live.runFinished(RunEnd.of(plan, 1));
        assertThat(live.failed()).isFalse();

        ResultsFolder results = new ResultsFolder(dir);
        assertThat(OutcomeLog.read(results.outcomes())).containsExactly(outcome);
        Path c = results.reproducers().resolve("RACE-2-toy_punch-gmem-mmap.c");
        String written = Files.readString(c);
        assertThat(written).contains("pthread_barrier_wait(&start)").contains("3 of 20 reruns of the shrunk case failed")
                .contains("#define ROWS " + outcome.raceCase().orElseThrow().answers().size());

        assertThat(summaryCell(dir)).containsKey("race");
        assertThat((Map<String, Object>) summaryCell(dir).get("race")).containsKeys("prefix", "threads", "answers");

        Files.delete(c);
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isZero();
        assertThat(Files.readString(c)).isEqualTo(written);
    }

    @Test
    void anOutcomeWithoutATableOfAnswersGetsNoConcurrentReproducer() {
        ClauseOutcome o = raceOutcome();
        RaceCase r = o.raceCase().orElseThrow();
        RaceCase untabled = new RaceCase(r.prefix(), r.threads(), List.of(), "the model leaves a choice at a read", 20, 3);
        ClauseOutcome without = new ClauseOutcome(o.clauseId(), o.group(), o.sentence(), o.peerTests(), o.target(), o.edition(),
                o.status(), o.reason(), o.seed(), o.replay(), o.shrunk(), o.statistics(), untabled);
        assertThat(CReproducers.of(without, CReproducer.Provenance.UNKNOWN)).isEmpty();
        assertThat(CReproducers.of(o, CReproducer.Provenance.UNKNOWN)).isPresent();
    }

    @Test
    void theAllureResultHoldsTheHistoryPictureTheCaseAndTheConcurrentReproducer(@TempDir Path dir) throws IOException {
        ClauseOutcome outcome = raceOutcome();
        AllureLifecycle previous = Allure.getLifecycle();
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(dir));
        String uuid = UUID.randomUUID().toString();
        Allure.setLifecycle(lifecycle);
        try {
            lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName("race outcome"));
            lifecycle.startTestCase(uuid);
            AllureWriter writer = new AllureWriter();
            writer.runStarted(plan(outcome, dir));
            writer.itemDecided(outcome);
            lifecycle.stopTestCase(uuid);
            lifecycle.writeTestCase(uuid);
        } finally {
            Allure.setLifecycle(previous);
        }
        Path result = dir.resolve(uuid + "-result.json");
        String json = Files.readString(result);
        assertThat(json).contains("\"name\":\"RACE-2 on toy:punch (gmem-mmap)\"");
        assertThat(attachment(dir, json, "history")).isEqualTo(PICTURE);
        assertThat(attachment(dir, json, "concurrent case")).contains("thread 1 (host), started with the others:")
                .contains("3 of 20 reruns");
        assertThat(attachment(dir, json, "C reproducer")).contains("pthread_barrier_wait(&start)");
    }

    /** The text of the attachment named {@code name} in an Allure result's JSON. */
    @SuppressWarnings("unchecked")
    private static String attachment(Path dir, String resultJson, String name) throws IOException {
        Map<String, Object> result = (Map<String, Object>) Json.parse(resultJson);
        List<Map<String, Object>> attachments = (List<Map<String, Object>>) result.get("attachments");
        String source = attachments.stream().filter(a -> name.equals(a.get("name"))).map(a -> (String) a.get("source"))
                .findFirst().orElseThrow(() -> new AssertionError("no attachment '" + name + "' in " + resultJson));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains(source);
        }
        return Files.readString(dir.resolve(source));
    }
}
