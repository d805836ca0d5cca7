package dev.gmem.ci.report;

import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A fixed run for the report tests: passed, failed (with a shrunk sequence) and skipped outcomes. */
final class RunReports {
    static final String SKIP_REASON = "kernel: KVM_CAP_MEMORY_ATTRIBUTES = 0, no private memory on this kernel";

    private RunReports() {
    }

    static ClauseOutcome outcome(String id, String target, String edition, Status status, String reason) {
        String group = id.substring(0, id.indexOf('-'));
        return new ClauseOutcome(id, group, "sentence of " + id, peers(id), target, edition, status, reason, 42,
                status == Status.FAILED ? "./gmem-conformance --replay " + id + " --seed 42" : "",
                status == Status.FAILED ? failingSteps() : List.of(), List.of("12 sequences", "340 operations"));
    }

    static List<String> peers(String id) {
        return switch (id) {
            case "CREATE-1" -> List.of("guest_memfd_test.c:test_create_guest_memfd_invalid_sizes");
            case "REF-1" -> List.of("conversions_test.c:elevated_refcount", "guest_memfd_test.c:test_fault_private");
            case "MMAP-4" -> List.of("guest_memfd_test.c:test_fault_private");
            default -> List.of();
        };
    }

    static List<Step> failingSteps() {
        return List.of(
                Sequences.step(new Operation.Create(0, 0x4000, 3), new Observation.Created(0)),
                Sequences.step(new Operation.Pin(0, 0x1000, 0x1000), new Observation.Pinned(0)),
                Sequences.failing(Operation.Convert.of(0, 0, 0x4000, dev.gmem.api.PageState.PRIVATE),
                        new Observation.Refused(Errno.EAGAIN, 0x1000), Observation.Ok.INSTANCE));
    }

    /** {@code run} as a run leaves it in {@code dir}: run.json and outcomes.jsonl. */
    static ResultsFolder recorded(RunReport run, Path dir) throws IOException {
        ResultsFolder results = new ResultsFolder(dir);
        RunFacts.write(results.runFacts(), run.kernelRelease(), run.seed(), run.facts());
        for (ClauseOutcome o : run.outcomes()) OutcomeLog.append(results.outcomes(), o);
        return results;
    }

    static RunReport fixed() {
        return new RunReport("6.18.0-test", 42,
                Map.of("kernel", List.of("generation detected: gmem-mmap", "KVM_CAP_GUEST_MEMFD_FLAGS = 3"),
                        "model:inplace-v8", List.of()),
                List.of(
                        outcome("CREATE-1", "kernel", "gmem-mmap", Status.PASSED, ""),
                        outcome("CREATE-1", "model:inplace-v8", "inplace-v8", Status.PASSED, ""),
                        outcome("REF-1", "kernel", "gmem-mmap", Status.SKIPPED, SKIP_REASON),
                        outcome("REF-1", "model:inplace-v8", "inplace-v8", Status.FAILED,
                                "step 3: seen ok, allowed Refused[EAGAIN, 0x1000]"),
                        outcome("MMAP-4", "kernel", "gmem-mmap", Status.PASSED, "")));
    }
}
