package dev.gmem.ci.report;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutcomeLogTest {

    /** Every step of the test sequences, which hold every operation kind and every observation kind. */
    static List<Step> everyKind() {
        List<Step> steps = new ArrayList<>(Sequences.gmemMmapEveryOperation());
        steps.addAll(Sequences.everyOperationAndObservation(Edition.INPLACE_V8));
        return steps;
    }

    @Test
    void theTestStepsHoldEveryOperationAndObservationKind() {
        Set<Class<?>> operations = everyKind().stream().map(s -> s.operation().getClass()).collect(Collectors.toSet());
        Set<Class<?>> observations = everyKind().stream().map(s -> s.expected().getClass()).collect(Collectors.toSet());
        assertThat(operations).containsExactlyInAnyOrder(Operation.class.getPermittedSubclasses());
        assertThat(observations).containsExactlyInAnyOrder(Observation.class.getPermittedSubclasses());
    }

    @Test
    void everyOperationAndObservationRoundTripsThroughJson() {
        for (Step step : everyKind()) {
            for (Object value : List.of(step.operation(), step.expected())) {
                Class<?> declared = value instanceof Operation ? Operation.class : Observation.class;
                String json = Json.write(RecordJson.toJson(value, declared));
                assertThat(RecordJson.fromJson(Json.parse(json), declared)).as(json).isEqualTo(value);
            }
        }
    }

    @Test
    void outcomesAreAppendedOneLineEachAndReadBackEqual(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("deep/er/outcomes.jsonl");
        ClauseOutcome failed = new ClauseOutcome("SEQ-1", "SEQ", "every \"observation\" allowed\nsecond line",
                List.of("a.c:f"), "kernel", "gmem-mmap", Status.FAILED, "diverged at step 3", Long.MIN_VALUE,
                "./gmem-conformance --replay SEQ-1 --seed -9223372036854775808", everyKind(), List.of("n = 1"));
        List<ClauseOutcome> written = new ArrayList<>(RunReports.fixed().outcomes());
        written.add(failed);
        for (ClauseOutcome o : written) OutcomeLog.append(log, "r1", o);
        assertThat(Files.readAllLines(log)).hasSize(written.size());
        assertThat(OutcomeLog.read(log)).containsExactlyElementsOf(written);
    }

    @Test
    void aMissingLogIsEmptyAndABadLineNamesItsLine(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("outcomes.jsonl");
        assertThat(OutcomeLog.read(log)).isEmpty();
        OutcomeLog.append(log, "r1", RunReports.fixed().outcomes().get(0));
        Files.writeString(log, "{\"clauseId\": 3\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> OutcomeLog.read(log)).isInstanceOf(IOException.class).hasMessageContaining(":2:");
    }

    @Test
    void runFactsAndOutcomesReadBackAsTheRun(@TempDir Path dir) throws IOException {
        RunReport run = RunReports.fixed();
        ResultsFolder results = RunReports.recorded(run, dir);
        RunReport read = RunFacts.read(results);
        assertThat(read.plan().runId()).isEqualTo(run.plan().runId());
        assertThat(read.plan().items()).isEqualTo(run.plan().items());
        assertThat(read.plan().facts()).isEqualTo(run.facts());
        assertThat(read.plan().options()).isEqualTo(run.plan().options());
        assertThat(read.outcomes()).isEqualTo(run.outcomes());
        assertThat(read.end()).isEqualTo(run.end());
    }

    @Test
    void aLineOfAnotherRunIsNeverReadAsThisRunsOutcome(@TempDir Path dir) throws IOException {
        RunReport run = RunReports.fixed();
        ResultsFolder results = RunReports.recorded(run, dir);
        OutcomeLog.append(results.outcomes(), "another-run", run.outcomes().get(0));
        assertThat(Files.readAllLines(results.outcomes()).get(0)).startsWith("{\"runId\":\"" + run.plan().runId() + "\"");
        assertThat(RunFacts.read(results).outcomes()).isEqualTo(run.outcomes());
    }

    /** A line written before outcomes carried a concurrent case still reads, without one; any other missing key is an error. */
    @Test
    void aLineFromBeforeTheRaceComponentReadsWithoutACase(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("outcomes.jsonl");
        ClauseOutcome o = RunReports.fixed().outcomes().get(0);
        String line = OutcomeLog.toLine("r1", o);
        assertThat(line).contains(",\"race\":null");
        Files.writeString(log, line.replace(",\"race\":null", "") + "\n");
        assertThat(OutcomeLog.read(log)).containsExactly(o);
        Files.writeString(log, line.replace(",\"race\":null", "").replace("\"seed\":", "\"seedless\":") + "\n");
        assertThatThrownBy(() -> OutcomeLog.read(log)).isInstanceOf(IOException.class).hasMessageContaining("without seed");
    }

    /** A concurrent case logged before its rows of answers were kept still reads: no rows, saying why. */
    @Test
    void aRaceCaseFromBeforeTheRowsOfAnswersReadsWithoutRows(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("outcomes.jsonl");
        ClauseOutcome o = RaceOutcomeReportsTest.raceOutcome();
        String line = OutcomeLog.toLine("r1", o);
        int from = line.indexOf(",\"answers\":[");
        int to = line.indexOf(",\"noTable\":", from);
        assertThat(from).isPositive();
        Files.writeString(log, line.substring(0, from) + ",\"allowed\":[]" + line.substring(to) + "\n");
        dev.gmem.api.outcome.RaceCase old = OutcomeLog.read(log).get(0).raceCase().orElseThrow();
        assertThat(old.answers()).isEmpty();
        assertThat(old.noTable()).contains("kept no rows");
        assertThat(old.threads()).isEqualTo(o.raceCase().orElseThrow().threads());
    }
}
