package dev.gmem.ci.report;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every KCIDB submission the kit writes validates against KCIDB's own schema, v5.3, read from
 * {@code ../shared/schemas/} beside the repository (never copied into it; {@code -Dgmem.kcidb.schema}
 * names it, the ci pom sets it). Where the file is absent the tests are skipped, saying so.
 */
class KcidbSchemaTest {
    private static Schema schema;

    @BeforeAll
    static void loadTheSchema() throws IOException {
        Path file = Path.of(System.getProperty("gmem.kcidb.schema", "../../shared/schemas/kcidb.v5.3.schema.json"));
        assumeTrue(Files.isRegularFile(file), "the KCIDB schema " + file.toAbsolutePath().normalize()
                + " is absent (it lives in ../shared/schemas beside the repository)");
        // the schema's patterns are ECMA-262, where \0 is NUL; java.util.regex spells NUL \x00
        String text = Files.readString(file, StandardCharsets.UTF_8).replace("\\\\0", "\\\\x00");
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(text, InputFormat.JSON);
    }

    private static List<String> violations(String json) {
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    private static RunPlan plan(Map<String, String> options, List<PlanItem> items, Path dir) {
        return new RunPlan("20261201-120000-abcd", "0.1.0-SNAPSHOT", "6.12.117", 42, options,
                Map.of("kernel", List.of("generation detected: vm-attributes")), items, dir);
    }

    /** The run of {@code plan} that decided {@code outcomes} (the rest of the plan undecided). */
    private static RunReport report(RunPlan plan, List<ClauseOutcome> outcomes) {
        return new RunReport(plan, outcomes, RunEnd.of(plan, (int) items(outcomes).stream().distinct().count()));
    }

    private static List<ClauseOutcome> kernelOutcomes() {
        List<ClauseOutcome> out = new ArrayList<>();
        out.add(RunReports.outcome("CONV-1", "kernel:vm-attributes", "vm-attributes", Status.PASSED, ""));
        out.add(RunReports.outcome("REF-1", "kernel:vm-attributes", "vm-attributes", Status.FAILED,
                "step 3: seen ok, allowed Refused[errno=EAGAIN, errorOffset=0x1000]"));
        out.add(RunReports.outcome("HOST-4", "kernel", "gmem-mmap", Status.SKIPPED, RunReports.SKIP_REASON));
        out.add(RunReports.outcome("SEQ-2", "kernel", "gmem-mmap", Status.OPTIONAL_FAILED, "optional: did not hold"));
        out.add(RunReports.outcome("CONV-1", "model:inplace-v8", "inplace-v8", Status.FAILED, "a model target"));
        return out;
    }

    private static List<PlanItem> items(List<ClauseOutcome> outcomes) {
        return outcomes.stream().map(o -> new PlanItem(o.clauseId(), o.target(), o.edition())).toList();
    }

    @Test
    void aRunWithEveryStatusValidates(@TempDir Path dir) {
        List<ClauseOutcome> outcomes = kernelOutcomes();
        String json = Json.writePretty(Kcidb.submission(report(plan(Map.of(), items(outcomes), dir), outcomes)));
        assertThat(violations(json)).isEmpty();
        assertThat(json).contains("\"origin\": \"gmem_conformance\"").contains("\"path\": \"gmem.vm-attributes.REF-1\"")
                .contains("\"status\": \"PASS\"").contains("\"status\": \"FAIL\"").contains("\"status\": \"SKIP\"")
                .contains("\"git_commit_name\": \"6.12.117\"")
                .doesNotContain("model:inplace-v8");
    }

    @Test
    void anInterruptedRunsUndecidedItemsAreMissAndValidate(@TempDir Path dir) {
        List<ClauseOutcome> outcomes = kernelOutcomes();
        List<PlanItem> items = new ArrayList<>(items(outcomes));
        items.add(new PlanItem("LIFE-1", "kernel:vm-attributes", "vm-attributes"));
        String json = Json.writePretty(Kcidb.submission(report(plan(Map.of(), items, dir), outcomes.subList(0, 2))));
        assertThat(violations(json)).isEmpty();
        assertThat(json).contains("\"status\": \"MISS\"").contains("gmem.vm-attributes.LIFE-1");
    }

    @Test
    void theKernelsGitCommitAndTreeWhenKnownValidate(@TempDir Path dir) {
        Map<String, String> options = Map.of("kernel.commit", "0123456789abcdef0123456789abcdef01234567",
                "kernel.tree", "kvm-next", "kernel.repository", "https://git.kernel.org/pub/scm/virt/kvm/kvm.git");
        List<ClauseOutcome> outcomes = kernelOutcomes();
        String json = Json.writePretty(Kcidb.submission(report(plan(options, items(outcomes), dir), outcomes)));
        assertThat(violations(json)).isEmpty();
        assertThat(json).contains("\"git_commit_hash\": \"0123456789abcdef0123456789abcdef01234567\"")
                .contains("\"tree_name\": \"kvm-next\"");
    }

    @Test
    void theFileTheReplayWritesValidates(@TempDir Path dir) throws IOException {
        RunReports.recorded(RunReports.fixed(), dir);
        assertThat(ReportMain.run(new String[] {"--results", dir.toString()})).isZero();
        String json = Files.readString(dir.resolve(Kcidb.FILE));
        assertThat(violations(json)).isEmpty();
        assertThat(json).contains("gmem.gmem-mmap.CREATE-1");
    }

    /** The validator is not a rubber stamp: the kit's own status words are not KCIDB's. */
    @Test
    void aSubmissionWithTheWrongStatusWordsIsRejected(@TempDir Path dir) {
        List<ClauseOutcome> outcomes = kernelOutcomes();
        String json = Json.writePretty(Kcidb.submission(report(plan(Map.of(), items(outcomes), dir), outcomes)))
                .replace("\"status\": \"PASS\"", "\"status\": \"PASSED\"");
        assertThat(violations(json)).isNotEmpty();
    }
}
