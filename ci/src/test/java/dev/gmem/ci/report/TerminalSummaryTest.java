package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.Status;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The terminal summary: transition coverage per SEQ outcome, and a target error is exit 3 (never a pass). */
class TerminalSummaryTest {

    private static ClauseOutcome outcome(String id, Status status, List<String> statistics) {
        return new ClauseOutcome(id, id.replaceAll("-.*", ""), "sentence", List.of(), "model:pending", "pending", status,
                status == Status.TARGET_ERROR ? "CREATE-1 on tiny: target error: CREATE threw" : "", 1, "./gmem-conformance", List.of(),
                statistics);
    }

    private static String printed(List<ClauseOutcome> outcomes, int[] status) {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            status[0] = TerminalSummary.print(outcomes, Path.of("results"));
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void seqsTransitionCoverageIsPrintedPerTarget() {
        int[] status = new int[1];
        String text = printed(List.of(outcome("SEQ", Status.PASSED,
                List.of(ClauseOutcome.TRANSITIONS + "29/29 reached in pending"))), status);
        assertThat(text).contains("model transitions  model:pending: 29/29 reached in pending");
        assertThat(status[0]).isZero();
    }

    @Test
    void aTargetErrorExitsThreeAndSaysSo() {
        int[] status = new int[1];
        String text = printed(List.of(outcome("CREATE-2", Status.PASSED, List.of()), outcome("CREATE-1", Status.TARGET_ERROR, List.of())), status);
        assertThat(status[0]).isEqualTo(3);
        assertThat(text).contains("TARGET ERROR  CREATE-1 on tiny: target error: CREATE threw").contains("1 target errors");
    }
}
