package dev.gmem.mutants;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.Session;
import dev.gmem.model.ModelTarget;
import dev.gmem.property.RunConfig;
import dev.gmem.api.outcome.Status;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.clauses.SeqClauses;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-guided shrinking on the broken targets and on the 6.12 erratum: SEQ's failure shrinks to
 * at most six operations, the model's slice is what shrinks it (its edits are kept), it takes
 * fewer runs than the generic passes alone, and it has its length within the first runs.
 */
class GuidedShrinkingTest {
    static final RunConfig CONFIG = MutantsAreCaughtTest.CONFIG;
    /** At most this many shrink runs until the erratum's failure has its shrunk length. */
    static final long RUNS_TO_LENGTH = 60;
    static final Path ERRATUM = Path.of("../ci/errata/KVM-612-STALE-MMIO-SHARED-FAULT.json");

    /** The erratum's shrunk sequence as ci/errata records it (checked against the file below). */
    static final List<Operation> RECORDED = List.of(
            new Operation.Create(0, PAGE_SIZE, 0),
            new Operation.GuestRead(0x1000_0000L),
            Operation.Convert.of(0, 0, PAGE_SIZE, PageState.PRIVATE),
            Operation.Bind.canonical(0, 0, 0, PAGE_SIZE),
            new Operation.Unbind(0),
            new Operation.GuestRead(0x1000_0000L));

    static Mutant staleMmio() {
        return Mutants.all().stream().filter(m -> m.id().equals("stale-mmio-spte")).findFirst().orElseThrow();
    }

    @Test
    void theRecordedErratumDivergesOnTheVariantAtItsSixthStepAndNotOnTheModel() throws Exception {
        String recorded = Files.readString(ERRATUM).replaceAll("\\s", "");
        int from = 0;
        for (Operation op : RECORDED) {
            int at = recorded.indexOf("\"operation\":" + json(op), from);
            assertThat(at).as("ci/errata records " + op + " next").isGreaterThanOrEqualTo(0);
            from = at + 1;
        }
        assertThat(recorded.split("\"operation\":", -1)).hasSize(RECORDED.size() + 1);
        Observation last = null;
        Observation modelLast = null;
        try (Session variant = staleMmio().open(Edition.VM_ATTRIBUTES);
             Session model = new ModelTarget(Edition.VM_ATTRIBUTES).open(Edition.VM_ATTRIBUTES)) {
            for (Operation op : RECORDED) {
                last = variant.apply(op);
                modelLast = model.apply(op);
            }
        }
        // the line ci/known-kernel-errata matches: a shared fault where the model allows a private one
        assertThat(last).isEqualTo(new Observation.MemoryFaultExit(0x1000_0000L, PAGE_SIZE, false));
        assertThat(modelLast).isEqualTo(new Observation.MemoryFaultExit(0x1000_0000L, PAGE_SIZE, true));
    }

    /** An operation as ci/errata's JSON writes it, without white space: its type, then its components in order. */
    private static String json(Object value) {
        if (value instanceof Record r) {
            StringBuilder b = new StringBuilder("{");
            if (r instanceof Operation) b.append("\"type\":\"").append(r.getClass().getSimpleName()).append("\",");
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    b.append('"').append(c.getName()).append("\":").append(json(c.getAccessor().invoke(r))).append(',');
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            b.setLength(b.length() - 1);
            return b.append('}').toString();
        }
        return value instanceof Enum<?> e ? "\"" + e.name() + "\"" : String.valueOf(value);
    }

    @Test
    void seqOnTheErratumVariantShrinksToSixOperationsByTheModelsSlice() {
        ShrinkRuns guided = ShrinkRuns.of(staleMmio(), CONFIG);
        ShrinkRuns generic = ShrinkRuns.of(staleMmio(), CONFIG.withGuidedShrinking(false));
        assertThat(guided.original()).isGreaterThan(6);
        assertThat(guided.shrunk()).isBetween(1, 6);
        assertThat(guided.sliceKept()).as("the slice pass kept an edit").isPositive();
        assertThat(guided.end()).isEqualTo("FIXPOINT");
        assertThat(guided.attempts()).as("guided %s, generic %s", guided, generic).isLessThan(generic.attempts());
        // inside the VM a run costs 50-150 ms: the length must come early in the default 30 s
        assertThat(guided.lengthAt()).as("the run that reached the shrunk length, %s", guided).isBetween(1L, RUNS_TO_LENGTH);
    }

    @Test
    void shrinkingIsTheSameForTheSameSeedOnEveryBrokenTarget() {
        for (Mutant m : Mutants.all()) {
            ClauseRunner.Decision a = ClauseRunner.run(m, SeqClauses.SEQ, m.edition(), CONFIG);
            ClauseRunner.Decision b = ClauseRunner.run(m, SeqClauses.SEQ, m.edition(), CONFIG);
            assertThat(a.outcome().status()).as(m.id()).isEqualTo(Status.FAILED);
            assertThat(a.outcome().statistics()).as(m.id()).contains("shrink end: FIXPOINT=1");
            assertThat(b.outcome().shrunk()).as(m.id()).isEqualTo(a.outcome().shrunk());
        }
    }
}
