package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.ExitStatus;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run that did not decide every planned item says so in every format, and its status is INTERRUPTED. */
class InterruptedRunTest {

    /** The fixed run's plan with one more item, CONV-9, that the "killed" run never decided; run.json left as at the start. */
    static ResultsFolder killedRun(Path dir) throws IOException {
        RunReport fixed = RunReports.fixed();
        List<PlanItem> items = new ArrayList<>(fixed.plan().items());
        items.add(new PlanItem("CONV-9", "kernel", "gmem-mmap"));
        RunPlan plan = new RunPlan("20260101T000000Z-dead", "test", fixed.kernelRelease(), fixed.seed(), Map.of(), fixed.facts(),
                items, dir);
        ResultsFolder results = new ResultsFolder(dir);
        RunFacts.write(results.runFacts(), plan, null);
        for (ClauseOutcome o : fixed.outcomes()) OutcomeLog.append(results.outcomes(), plan.runId(), o);
        return results;
    }

    @Test
    void aKilledRunReadsAsInterruptedAfterWhatItDecided(@TempDir Path dir) throws IOException {
        RunReport run = RunFacts.read(killedRun(dir));
        assertThat(run.interruption()).contains("INTERRUPTED after 5 of 6");
        assertThat(run.undecided()).containsExactly(new PlanItem("CONV-9", "kernel", "gmem-mmap"));
        assertThat(run.exitStatus()).as("interrupted, though a clause failed").isEqualTo(ExitStatus.INTERRUPTED);
    }

    @Test
    void everyFormatSaysInterrupted(@TempDir Path dir) throws IOException {
        ResultsFolder results = killedRun(dir);
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isZero();

        List<String> md = Files.readAllLines(dir.resolve(ComplianceReports.MARKDOWN));
        assertThat(md.get(2)).startsWith("**INTERRUPTED after 5 of 6**");
        assertThat(String.join("\n", md)).contains("not decided");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve(ComplianceReports.JSON)));
        assertThat(json).containsEntry("complete", false).containsEntry("interrupted", "INTERRUPTED after 5 of 6")
                .containsEntry("exitStatus", 4L);
        assertThat(json.get("undecided").toString()).contains("CONV-9");
        String ktap = Files.readString(dir.resolve(ComplianceReports.KTAP));
        assertThat(ktap).contains("# INTERRUPTED after 5 of 6")
                .containsPattern("(?m)^    not ok \\d+ CONV-9 # TIMEOUT interrupted")
                .containsPattern("(?m)^not ok 1 kernel \\(gmem-mmap\\) # TIMEOUT interrupted");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExitStatus status = TerminalSummary.print(RunFacts.read(results), dir, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(ExitStatus.INTERRUPTED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("INTERRUPTED after 5 of 6").contains("CONV-9");
    }

    @Test
    void aCompleteRunIsNotInterruptedAndItsStatusIsItsVerdict(@TempDir Path dir) throws IOException {
        RunReport fixed = RunReports.fixed();
        RunReports.recorded(fixed, dir);
        RunReport run = RunFacts.read(new ResultsFolder(dir));
        assertThat(run.interruption()).isEmpty();
        assertThat(run.exitStatus()).isEqualTo(ExitStatus.FAILED);
        assertThat(new RunEnd("r", true, 3, 3).interruption()).isEmpty();
        ReportMain.run(new String[] {"--results", dir.toString()});
        assertThat(Files.readString(dir.resolve(ComplianceReports.KTAP))).doesNotContain("# TIMEOUT").doesNotContain("INTERRUPTED after");
        assertThat(fixed.outcomes()).anyMatch(o -> o.status() == Status.FAILED);
    }
}
