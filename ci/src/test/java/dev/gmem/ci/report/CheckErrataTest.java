package dev.gmem.ci.report;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure is a known erratum by the shape of its shrunk sequence, not by the words of its
 * diverging line: the 6.12 stale-MMIO sequence is known; look-alikes that end in the very same
 * divergence but lack a precondition (no MMIO answer first, never made private, no memslot change)
 * are new failures, as is the erratum's sequence on another kernel or clause. Also end to end
 * through {@code ci/check-errata}.
 */
class CheckErrataTest {
    static final Path LIST = Path.of("known-kernel-errata");
    static final Path ERRATUM = Path.of("errata/KVM-612-STALE-MMIO-SHARED-FAULT.json");

    static List<Step> erratum() throws IOException {
        return Erratum.read(ERRATUM).shrunk();
    }

    /** The erratum's sequence without the steps at {@code drop} (1-based), the divergence kept. */
    static List<Step> without(List<Step> steps, int... drop) {
        List<Step> out = new ArrayList<>(steps);
        for (int i = drop.length - 1; i >= 0; i--) out.remove(drop[i] - 1);
        return out;
    }

    static ClauseOutcome failed(String clause, List<Step> shrunk) {
        Step last = shrunk.get(shrunk.size() - 1);
        String reason = clause + " failed on kernel:vm-attributes (edition vm-attributes): sequences\nshrunk: step " + shrunk.size()
                + " answered " + last.seen() + " where the model of vm-attributes allows " + last.allowed() + "\n";
        return new ClauseOutcome(clause, clause.replaceAll("-.*", ""), "sentence", List.of(), "kernel:vm-attributes",
                "vm-attributes", Status.FAILED, reason, 1, "replay", shrunk, List.of());
    }

    static Path recorded(Path dir, String release, ClauseOutcome... outcomes) throws IOException {
        ResultsFolder folder = new ResultsFolder(dir);
        List<PlanItem> items = List.of(outcomes).stream().map(o -> new PlanItem(o.clauseId(), o.target(), o.edition())).toList();
        RunPlan plan = new RunPlan("r-" + dir.getFileName(), "test", release, 1, Map.of(), Map.of(), items, dir);
        RunFacts.write(folder.runFacts(), plan, null);
        for (ClauseOutcome o : outcomes) OutcomeLog.append(folder.outcomes(), plan.runId(), o);
        return dir;
    }

    static String known(String release, ClauseOutcome o) throws IOException {
        return CheckErrata.classify(CheckErrata.read(LIST), release, o).map(CheckErrata.Entry::id).orElse("new");
    }

    @Test
    void theErratumsSequenceIsTheKnownErratum() throws IOException {
        assertThat(known("6.12.117", failed("SEQ", erratum()))).isEqualTo("KVM-612-STALE-MMIO-SHARED-FAULT");
    }

    @Test
    void aLookAlikeDivergenceWithoutThePreconditionsIsANewFailure() throws IOException {
        List<Step> steps = erratum();
        // a kernel that never sets the PRIVATE flag: create, convert, bind, unbind, guest read -> shared fault; no MMIO first
        List<Step> neverPrivateFlag = without(steps, 2);
        Step last = neverPrivateFlag.get(neverPrivateFlag.size() - 1);
        assertThat(last.seen()).isEqualTo(steps.get(steps.size() - 1).seen());
        assertThat(known("6.12.117", failed("SEQ", neverPrivateFlag))).isEqualTo("new");
        assertThat(known("6.12.117", failed("SEQ", without(steps, 3)))).as("never made private").isEqualTo("new");
        assertThat(known("6.12.117", failed("SEQ", without(steps, 4, 5)))).as("no memslot change").isEqualTo("new");
        List<Step> privateFault = new ArrayList<>(steps);
        Step d = privateFault.remove(privateFault.size() - 1);
        privateFault.add(new Step(d.operation(), d.expected(), d.allowed(),
                new Observation.MemoryFaultExit(0x1000_0000L, 0x1000, true), true));
        assertThat(known("6.12.117", failed("SEQ", privateFault))).as("a private fault").isEqualTo("new");
        List<Step> otherPage = new ArrayList<>(steps);
        Step read = otherPage.remove(1);
        otherPage.add(1, new Step(new Operation.GuestRead(0x2000_0000L), read.expected(), read.allowed(),
                new Observation.MmioExit(0x2000_0000L, false), false));
        assertThat(known("6.12.117", failed("SEQ", otherPage))).as("the MMIO answer was for another page").isEqualTo("new");
        assertThat(known("6.13.2", failed("SEQ", steps))).as("another kernel").isEqualTo("new");
        assertThat(known("6.12.117", failed("GUEST-3", steps))).as("another clause").isEqualTo("new");
    }

    @Test
    void theScriptPassesOnTheErratumAndCountsTheLookAlike(@TempDir Path dir) throws Exception {
        Path knownRun = recorded(dir.resolve("known"), "6.12.117", failed("SEQ", erratum()));
        Path lookAlike = recorded(dir.resolve("look-alike"), "6.12.117", failed("SEQ", without(erratum(), 2)));
        assertThat(script(knownRun)).isZero();
        assertThat(script(lookAlike)).isEqualTo(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = CheckErrata.run(new String[] {LIST.toString(), "--edition", "vm-attributes", lookAlike.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("check-errata: new failure on 6.12.117, SEQ: step 5 answered")
                .as("the whole reason, for a CI log whose results folder is gone")
                .contains("check-errata:   | SEQ failed on kernel:vm-attributes (edition vm-attributes): sequences\n");
    }

    private static int script(Path results) throws Exception {
        Process p = new ProcessBuilder(Path.of("check-errata").toAbsolutePath().toString(), "--edition", "vm-attributes",
                results.toString()).redirectErrorStream(true).start();
        p.getInputStream().transferTo(System.out);
        return p.waitFor();
    }
}
