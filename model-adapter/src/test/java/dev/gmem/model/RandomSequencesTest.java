package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.ReferenceRule;
import dev.gmem.model.bench.RealisticOps;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Self-consistency of the model on long random sequences (the bench's workload). */
class RandomSequencesTest {

    static List<Edition> editions() {
        return Edition.all();
    }

    private static List<Observation> run(Edition e, Operation[] ops, Set<ModelEvent> seen) {
        ReferenceModel model = ReferenceModel.of(e);
        ModelState state = model.initial();
        List<Observation> out = new ArrayList<>();
        for (Operation op : RealisticOps.prologue(e)) state = model.expect(state, op).next(model.expect(state, op).example());
        for (Operation op : ops) {
            Expectation x = model.expect(state, op);
            Observation o = x.example();
            assertThat(x.allows(o)).as("%s allows its example for %s", e, op).isTrue();
            assertThat(x.describe()).isNotEmpty();
            seen.addAll(x.events());
            state = x.next(o);
            out.add(o);
            for (long p = 0; p < RealisticOps.PAGES; p++) {
                PageState s = state.pageState(0, p);
                if (e.referenceRule() != ReferenceRule.PENDING) assertThat(s).isNotEqualTo(PageState.PENDING_PRIVATE);
                if (s == PageState.PENDING_PRIVATE) {
                    long page = p;
                    assertThat(state.livePins()).as("a pending page lies under a live pin (maybe punched since)")
                            .anyMatch(pin -> pin.gmem() == 0 && pin.offset() / 4096 <= page
                                    && page < (pin.offset() + pin.length() + 4095) / 4096);
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("editions")
    @DisplayName("on 3,000 random realistic steps every example is allowed, the run is deterministic, and a pending page always lies under a live pin")
    void consistent(Edition e) {
        Operation[] ops = RealisticOps.sequence(new Random(7), 3000);
        Set<ModelEvent> seen = EnumSet.noneOf(ModelEvent.class);
        List<Observation> first = run(e, ops, seen);
        assertThat(run(e, ops, EnumSet.noneOf(ModelEvent.class))).isEqualTo(first);
        assertThat(seen).contains(ModelEvent.HOST_ACCESS_OK, ModelEvent.PUNCHED);
        if (e.converts()) assertThat(seen).contains(ModelEvent.CONVERTED, ModelEvent.HOST_FAULT, ModelEvent.HYPERCALL_EXIT);
        if (e.referenceRule() == ReferenceRule.REFUSE_EAGAIN) assertThat(seen).contains(ModelEvent.CONVERT_REFUSED_REFERENCED);
        if (e.referenceRule() == ReferenceRule.PENDING) {
            assertThat(seen).contains(ModelEvent.PENDING_ENTERED, ModelEvent.PENDING_RESOLVED, ModelEvent.MEMORY_FAULT_EXIT);
        }
    }
}
