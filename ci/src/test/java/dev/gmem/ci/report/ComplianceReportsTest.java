package dev.gmem.ci.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ComplianceReportsTest {

    @Test
    void writesTheThreeReports(@TempDir Path dir) throws IOException {
        List<Path> written = ComplianceReports.write(RunReports.fixed(), dir);
        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("summary.md", "summary.json", "results.ktap");
        for (Path p : written) assertThat(p).isRegularFile();
    }

    @Test
    void theMarkdownHoldsTheMatrixTheFailureAndPeerCoverage(@TempDir Path dir) throws IOException {
        ComplianceReports.write(RunReports.fixed(), dir);
        String md = Files.readString(dir.resolve("summary.md"));
        assertThat(md).contains("Kernel release: `6.18.0-test`").contains("Seed: `42`")
                .contains("3 passed, 1 failed, 1 skipped")
                .contains("| clause | kernel (gmem-mmap) | model:inplace-v8 |")
                .contains("| **CREATE-1** sentence of CREATE-1 | pass | pass |")
                .contains("| **REF-1** sentence of REF-1 | skip [1] | **FAIL** |")
                .contains("| **MMAP-4** sentence of MMAP-4 | pass | – |")
                .contains("1. " + RunReports.SKIP_REASON)
                .contains("generation detected: gmem-mmap")
                .contains("### REF-1 on model:inplace-v8 (inplace-v8)")
                .contains("Replay: `./gmem-conformance --replay REF-1 --seed 42`")
                .contains("3. Convert[gmem=0, offset=0, size=16384, target=PRIVATE")
                .contains("← diverges")
                .contains("| `guest_memfd_test.c:test_fault_private` | REF-1 (1 FAIL, 1 skip), MMAP-4 (1 pass) |")
                .contains("| `conversions_test.c:elevated_refcount` | REF-1 (1 FAIL, 1 skip) |");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonHoldsCellsTotalsAndPeerCoverage(@TempDir Path dir) throws IOException {
        ComplianceReports.write(RunReports.fixed(), dir);
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("summary.json")));
        assertThat(json).containsEntry("kernelRelease", "6.18.0-test").containsEntry("seed", 42L);
        assertThat((Map<String, Object>) json.get("totals"))
                .containsEntry("passed", 3L).containsEntry("failed", 1L).containsEntry("skipped", 1L);
        List<Map<String, Object>> clauses = (List<Map<String, Object>>) json.get("clauses");
        assertThat(clauses).extracting(c -> c.get("id")).containsExactly("CREATE-1", "REF-1", "MMAP-4");
        List<Map<String, Object>> ref = (List<Map<String, Object>>) clauses.get(1).get("results");
        assertThat(ref.get(0)).containsEntry("status", "skipped").containsEntry("reason", RunReports.SKIP_REASON);
        assertThat(ref.get(1)).containsEntry("status", "failed").containsKey("shrunk");
        assertThat((List<Object>) ref.get(1).get("shrunk")).hasSize(3);
        List<Map<String, Object>> peers = (List<Map<String, Object>>) json.get("peerCoverage");
        assertThat(peers).extracting(p -> p.get("test")).containsExactly("conversions_test.c:elevated_refcount",
                "guest_memfd_test.c:test_create_guest_memfd_invalid_sizes", "guest_memfd_test.c:test_fault_private");
        assertThat((List<Map<String, Object>>) peers.get(2).get("clauses"))
                .extracting(c -> c.get("clause") + "=" + c.get("status")).containsExactly("REF-1=failed", "MMAP-4=passed");
    }

    @Test
    void theKtapHasAPlanPerLevelSkipReasonsAndFailureDiagnostics(@TempDir Path dir) throws IOException {
        ComplianceReports.write(RunReports.fixed(), dir);
        List<String> ktap = Files.readAllLines(dir.resolve("results.ktap"));
        assertThat(ktap.get(0)).isEqualTo("KTAP version 1");
        assertThat(ktap.get(1)).isEqualTo("1..2");
        assertThat(ktap).containsSubsequence(
                "    KTAP version 1", "    # Subtest: kernel (gmem-mmap)", "    1..3",
                "    ok 1 CREATE-1", "    ok 2 REF-1 # SKIP " + RunReports.SKIP_REASON, "    ok 3 MMAP-4",
                "ok 1 kernel (gmem-mmap)",
                "    # Subtest: model:inplace-v8", "    1..2", "    ok 1 CREATE-1",
                "    # REF-1: sentence of REF-1", "    not ok 2 REF-1", "not ok 2 model:inplace-v8");
        assertThat(ktap).anyMatch(l -> l.startsWith("    # 3. Convert[") && l.contains("<- diverges"));
        assertThat(ktap.stream().filter(l -> l.matches("\\s*(not )?ok \\d+ .*")))
                .allMatch(l -> !l.replaceFirst(" # SKIP .*", "").contains("#"));
    }
}
