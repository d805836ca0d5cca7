package dev.gmem.ci.report;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.KernelRelease;
import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A made-up run told to the same report listeners the suite tells (outcome log, run facts, Allure,
 * C reproducers, summaries) without the suite: passed, failed and skipped clauses, one failure from a broken
 * model variant that ignores pins. Only with {@code -Dgmem.demo=true} ({@code ci/report --demo});
 * its failures are meant to fail.
 */
@EnabledIfSystemProperty(named = "gmem.demo", matches = "true")
class DemoRun {
    static final long SEED = 20260618L;
    static final String KERNEL = KernelRelease.current();
    static final String SKIP_PRIVATE = "kernel: KVM_CAP_MEMORY_ATTRIBUTES = 0 and VM_TYPES has no SW_PROTECTED_VM:"
            + " this 6.18 kernel has no private memory (build ci/build-reference-kernel and run under ci/vm-run)";
    static final long PAGE = 4096;

    record Clause(String id, String sentence, List<String> peers) {
        String group() {
            return id.substring(0, id.indexOf('-'));
        }
    }

    static final Clause CREATE_1 = new Clause("CREATE-1", "size 0, unaligned, or ≥ 2^63 → EINVAL",
            List.of("guest_memfd_test.c:test_create_guest_memfd_invalid_sizes"));
    static final Clause PUNCH_2 = new Clause("PUNCH-2", "a punched guest_memfd page reads zero afterwards",
            List.of("guest_memfd_test.c:test_fallocate", "guest_memfd_test.c:test_invalid_punch_hole"));
    static final Clause MMAP_4 = new Clause("MMAP-4", "without INIT_SHARED every touch faults",
            List.of("guest_memfd_test.c:test_fault_private"));
    static final Clause CONV_1 = new Clause("CONV-1", "after convert(r, PRIVATE) exactly the pages of r fault on the host",
            List.of("conversions_test.c:indexing", "conversions_test.c:conversions_should_not_affect_surrounding_pages"));
    static final Clause REF_1 = new Clause("REF-1",
            "to private with a pinned page → EAGAIN at the first pinned page, no page of the range changes state",
            List.of("conversions_test.c:elevated_refcount",
                    "conversions_test.c:conversions_should_fail_if_memory_has_elevated_refcount"));

    static ClauseOutcome outcome(Clause c, String target, Edition edition, Status status, String reason, List<Step> shrunk) {
        String replay = status == Status.FAILED
                ? "./gmem-conformance --target " + target + " --clause " + c.id() + " --seed " + SEED : "";
        return new ClauseOutcome(c.id(), c.group(), c.sentence(), c.peers(), target, edition.name(), status, reason,
                SEED, replay, shrunk, List.of("200 sequences, 3,812 operations", "events reached: CREATED, PINNED"));
    }

    static Step ok(Operation op, Observation o) {
        return new Step(op, o, o.toString(), o, false);
    }

    /** The shrunk sequence a model that ignores pins fails with. */
    static List<Step> pinIgnored() {
        return List.of(
                ok(new Operation.Create(0, 4 * PAGE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED), new Observation.Created(0)),
                ok(new Operation.HostWrite(0, PAGE, PAGE, (byte) 0x5a, 0), Observation.Ok.INSTANCE),
                ok(new Operation.Pin(0, PAGE, PAGE), new Observation.Pinned(0)),
                new Step(Operation.Convert.of(0, 0, 4 * PAGE, PageState.PRIVATE),
                        new Observation.Refused(Errno.EAGAIN, PAGE), "Refused[EAGAIN, 0x1000]", Observation.Ok.INSTANCE, true));
    }

    /** A gmem-mmap failure on the kernel target whose reproducer runs on this machine. */
    static List<Step> wrongPunchContent() {
        return List.of(
                ok(new Operation.Create(0, 2 * PAGE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED), new Observation.Created(0)),
                ok(new Operation.HostWrite(0, 0, 2 * PAGE, (byte) 0x11, 0), Observation.Ok.INSTANCE),
                ok(new Operation.PunchHole(0, 0, PAGE), Observation.Ok.INSTANCE),
                new Step(new Operation.HostRead(0, 0, 2 * PAGE, 1),
                        new Observation.Read(new Bytes.Builder().append(PAGE, (byte) 0).append(PAGE, (byte) 0x11).build()),
                        "Read[[4096x00, 4096x11]]",
                        new Observation.Read(Bytes.fill(2 * PAGE, (byte) 0x11)), true));
    }

    static List<ClauseOutcome> outcomes() {
        String kernel = "kernel";
        String broken = "model:inplace-v8-ignores-pins";
        return List.of(
                outcome(CREATE_1, kernel, Edition.GMEM_MMAP, Status.PASSED, "", List.of()),
                outcome(CREATE_1, broken, Edition.INPLACE_V8, Status.PASSED, "", List.of()),
                outcome(PUNCH_2, kernel, Edition.GMEM_MMAP, Status.FAILED,
                        "step 4: HostRead saw [8192x11], the model allows Read[[4096x00, 4096x11]] (a punched page reads 0)",
                        wrongPunchContent()),
                outcome(PUNCH_2, broken, Edition.INPLACE_V8, Status.PASSED, "", List.of()),
                outcome(MMAP_4, kernel, Edition.GMEM_MMAP, Status.PASSED, "", List.of()),
                outcome(MMAP_4, broken, Edition.INPLACE_V8, Status.PASSED, "", List.of()),
                outcome(CONV_1, kernel, Edition.GMEM_MMAP, Status.SKIPPED,
                        "gmem-mmap has no conversion call (pages keep the state they were created with)", List.of()),
                outcome(CONV_1, broken, Edition.INPLACE_V8, Status.PASSED, "", List.of()),
                outcome(REF_1, kernel, Edition.GMEM_MMAP, Status.SKIPPED, SKIP_PRIVATE, List.of()),
                outcome(REF_1, broken, Edition.INPLACE_V8, Status.FAILED,
                        "step 4: Convert answered ok, the model allows Refused[EAGAIN, 0x1000] (page 1 is pinned)",
                        pinIgnored()));
    }

    private static OutcomeListeners listeners;

    /** The demo told to the report listeners exactly as the suite tells a run. */
    @TestFactory
    Stream<DynamicTest> clauses() {
        Map<String, List<String>> facts = new LinkedHashMap<>();
        facts.put("kernel", List.of("generation detected: gmem-mmap (KVM_CAP_GUEST_MEMFD_FLAGS = 3, VM_TYPES = 1)",
                "KVM_CAP_MEMORY_ATTRIBUTES = 0: no private memory"));
        facts.put("model:inplace-v8-ignores-pins", List.of("a broken model variant: conversions ignore pins"));
        List<PlanItem> items = outcomes().stream().map(o -> new PlanItem(o.clauseId(), o.target(), o.edition())).toList();
        RunPlan plan = new RunPlan("demo", "demo", KERNEL, SEED, Map.of("target", "demo"), facts, items,
                ResultsFolder.fromSystem().dir());
        listeners = OutcomeListeners.load();
        listeners.runStarted(plan);
        return outcomes().stream().map(o -> DynamicTest.dynamicTest(o.clauseId() + " " + o.target(), () -> decide(o)));
    }

    private static void decide(ClauseOutcome o) {
        listeners.itemDecided(o);
        if (o.status() == Status.FAILED) fail(o.reason());
        if (o.status() == Status.SKIPPED) Assumptions.abort(o.reason());
    }

    @AfterAll
    static void finish() {
        if (listeners != null) listeners.runFinished(new RunEnd("demo", true, outcomes().size(), outcomes().size()));
    }
}
