package dev.gmem.mutants;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.Session;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import dev.gmem.api.outcome.Status;
import dev.gmem.suite.Clause;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.clauses.Catalogue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * v13 (gmem_convert_fault_race.c @3c3006fb1feb): a kernel whose conversions to private are refused EAGAIN
 * now and then, while a vCPU fault holds a folio, is not failed: the Checker retries what the model marks
 * transient. A kernel that never stops refusing is failed ({@code eagain-forever} in {@link Mutants}).
 */
class TransientRefusalsAreRetriedTest {

    /** Refuses every conversion to private once, where the model allows a transient refusal, then lets the retry through. */
    private static final class RacingSession extends Rewriting {
        private final ReferenceModel model = ReferenceModel.of(Edition.INPLACE);
        private final AtomicInteger refusals;
        private ModelState state = model.initial();
        private boolean refusedLast;

        RacingSession(Session inner, AtomicInteger refusals) {
            super(inner);
            this.refusals = refusals;
        }

        @Override
        public Observation apply(Operation op) {
            Expectation x = model.expect(state, op);
            if (op instanceof Operation.Convert c && c.target() == PageState.PRIVATE && !refusedLast) {
                Observation refused = new Observation.Refused(Errno.EAGAIN, c.offset() + c.size() - 4096);
                if (x.isTransient(refused)) {
                    refusedLast = true;
                    refusals.incrementAndGet();
                    state = x.next(refused);
                    return refused;
                }
            }
            refusedLast = false;
            Observation o = inner.apply(op);
            state = x.next(o);
            return o;
        }
    }

    @Test
    @DisplayName("v13: every clause binding inplace passes on a target that refuses each conversion to private once")
    void aRacingKernelPasses() {
        AtomicInteger refusals = new AtomicInteger();
        Mutant racing = new Mutant("racing", "refuses each conversion to private once, transiently", Edition.INPLACE,
                "CONV-1", s -> new RacingSession(s, refusals));
        for (Clause clause : Catalogue.all()) {
            if (!clause.bindsEdition(Edition.INPLACE)) continue;
            ClauseRunner.Decision d = ClauseRunner.run(racing, clause, Edition.INPLACE, MutantsAreCaughtTest.CONFIG);
            assertThat(d.outcome().status()).as(clause.id() + ": " + d.message()).isNotEqualTo(Status.FAILED);
        }
        assertThat(refusals.get()).as("the racing target did refuse").isGreaterThan(100);
    }
}
