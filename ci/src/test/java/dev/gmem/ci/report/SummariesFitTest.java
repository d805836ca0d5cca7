package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** summary.txt fits a mail (25 lines, 80 columns, ASCII) and summary.md wraps at 100 columns, for a big failing run. */
class SummariesFitTest {
    static final String LONG_SENTENCE = "to private with a pinned page → EAGAIN, error offset = the first pinned page in the "
            + "range, no page of the range changes state, and a later conversion without the pin succeeds ≥ once";
    static final List<String> TARGETS = List.of("kernel", "model:gmem-mmap", "model:vm-attributes", "model:inplace-v8",
            "broken:wrong-error-offset");

    /** 5 targets × 40 clauses, 9 failures with long replay commands, long skip reasons and facts. */
    static RunReport bigFailingRun() {
        List<ClauseOutcome> outcomes = new ArrayList<>();
        int failures = 0;
        for (int c = 1; c <= 40; c++) {
            String id = (c % 2 == 0 ? "CONV-" : "REF-") + c;
            for (String target : TARGETS) {
                String edition = target.contains(":") ? target.substring(target.indexOf(':') + 1) : "gmem-mmap";
                if (target.startsWith("broken")) edition = "inplace-v8";
                Status status = target.startsWith("broken") && c % 4 == 1 && failures++ < 9 ? Status.FAILED
                        : target.equals("kernel") && c % 3 == 0 ? Status.SKIPPED : Status.PASSED;
                String reason = status == Status.FAILED
                        ? id + " failed on " + target + " (edition " + edition + "): " + LONG_SENTENCE + "\nseed 3886926492"
                        : status == Status.SKIPPED ? id + " binds vm-attributes, rfc-v2-convert, inplace-v8, pending; target "
                        + "kernel speaks gmem-mmap — KVM_CAP_MEMORY_ATTRIBUTES = 0: no private memory on this kernel" : "";
                ClauseOutcome base = RunReports.outcome(id, target, edition, status, reason);
                outcomes.add(new ClauseOutcome(id, base.group(), LONG_SENTENCE, List.of(
                        "tools/testing/selftests/kvm/guest_memfd_conversions_test.c:"
                                + "conversions_should_fail_if_memory_has_elevated_refcount"), target, edition, status, reason,
                        3886926492L, status == Status.FAILED ? "./gmem-conformance --target " + target + " --clause " + id
                        + " --seed 3886926492 --tries 100" : "", base.shrunk(), base.statistics()));
            }
        }
        Map<String, List<String>> facts = new LinkedHashMap<>();
        facts.put("kernel", List.of("generation detected: gmem-mmap (KVM_CAP_GUEST_MEMFD_FLAGS = 0x3: MMAP, INIT_SHARED; "
                + "KVM_CAP_MEMORY_ATTRIBUTES = 0 on the system fd and on a VM of every type; KVM_CAP_VM_TYPES = 0x1)"));
        List<PlanItem> items = new ArrayList<>();
        for (ClauseOutcome o : outcomes) items.add(new PlanItem(o.clauseId(), o.target(), o.edition()));
        for (int c = 41; c <= 47; c++) items.add(new PlanItem("SEQ-" + c, "kernel", "gmem-mmap")); // never decided
        RunPlan plan = new RunPlan("20260618T101500Z-3f9a", "0.1.0-SNAPSHOT", "6.18.44-fc-v782-with-a-rather-long-local-version",
                3886926492L, Map.of(), facts, items, Path.of("results"));
        return new RunReport(plan, outcomes, RunEnd.of(plan, outcomes.size()));
    }

    @Test
    void theMailSummaryOfABigFailingRunFitsIn25LinesOf80AsciiColumns(@TempDir Path dir) throws IOException {
        ComplianceReports.write(bigFailingRun(), dir);
        byte[] bytes = Files.readAllBytes(dir.resolve("summary.txt"));
        for (byte b : bytes) assertThat(b & 0xff).as("ASCII only").isLessThan(0x80);
        List<String> lines = Files.readAllLines(dir.resolve("summary.txt"), StandardCharsets.US_ASCII);
        assertThat(lines).hasSizeLessThanOrEqualTo(MailSummary.LINES);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(MailSummary.WIDTH));
        String text = String.join("\n", lines);
        assertThat(text).contains("kernel 6.18.44-fc-v782").contains("kit 0.1.0-SNAPSHOT").contains("seed 3886926492")
                .contains("INTERRUPTED after 200 of 207")
                .contains("9 failed")
                .contains("FAIL REF-1 on broken:wrong-error-offset (inplace-v8): to private with")
                .contains("  ./gmem-conformance --target broken:wrong-error-offset --clause REF-1")
                .contains("also failed: REF-").contains("all in summary.md");
        for (String target : TARGETS) assertThat(text).contains(target);
    }

    @Test
    void theMailSummaryOfTheFixedRunNamesItsOneFailureWithItsReplay(@TempDir Path dir) throws IOException {
        ComplianceReports.write(RunReports.fixed(), dir);
        String text = Files.readString(dir.resolve("summary.txt"));
        assertThat(text).contains("FAIL REF-1 on model:inplace-v8 (inplace-v8)")
                .contains("  ./gmem-conformance --replay REF-1 --seed 42").doesNotContain("also failed");
    }

    @Test
    void everyLineOfTheMarkdownSummaryIsAtMost100Columns(@TempDir Path dir) throws IOException {
        ComplianceReports.write(bigFailingRun(), dir);
        List<String> lines = Files.readAllLines(dir.resolve("summary.md"));
        assertThat(lines).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).as(l)
                .isLessThanOrEqualTo(SummaryMarkdown.WIDTH));
        String md = String.join("\n", lines);
        assertThat(md).startsWith("# guest_memfd conformance summary\n\n**INTERRUPTED after 200 of 207**").contains("## Failures")
                .contains("- `conversions_should_fail_if_memory_has_elevated_refcount`: ");
    }

    /** One vocabulary: a status is spelled alike in outcomes.jsonl and summary.json. */
    @Test
    @SuppressWarnings("unchecked")
    void theJsonFilesSpellEveryStatusAlike(@TempDir Path dir) throws IOException {
        RunReports.recorded(RunReports.fixed(), dir);
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isZero();
        List<String> logged = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("outcomes.jsonl"))) {
            logged.add((String) ((Map<String, Object>) Json.parse(line)).get("status"));
        }
        List<String> summarised = new ArrayList<>();
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("summary.json")));
        for (Object clause : (List<Object>) summary.get("clauses")) {
            for (Object cell : (List<Object>) ((Map<String, Object>) clause).get("results")) {
                summarised.add((String) ((Map<String, Object>) cell).get("status"));
            }
        }
        assertThat(summarised).containsExactlyInAnyOrderElementsOf(logged);
        assertThat(((Map<String, Object>) summary.get("totals")).keySet())
                .containsExactlyElementsOf(java.util.Arrays.stream(Status.values()).map(Enum::name).toList());
    }
}
