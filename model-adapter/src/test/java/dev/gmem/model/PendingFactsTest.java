package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

/** KERNEL-ABI.md §3 "The design the seed thread argues about": the pending-private state. */
class PendingFactsTest {
    private final Sim sim = Sim.of(Edition.PENDING);

    @Test
    @DisplayName("§3 pending design (Tabba): a referenced page enters PENDING_PRIVATE, the others become PRIVATE, the call succeeds")
    void referencedPageEntersPending() {
        int g = sim.createShared(3);
        sim.pin(g, 1, 1);
        Expectation x = sim.expect(Operation.Convert.of(g, 0, 3 * PAGE, PageState.PRIVATE));
        assertThat(x.example()).isEqualTo(OK);
        assertThat(x.events()).contains(ModelEvent.PENDING_ENTERED);
        sim.convert(g, 0, 3, PageState.PRIVATE);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.PENDING_PRIVATE);
        assertThat(sim.stateOf(g, 2)).isEqualTo(PageState.PRIVATE);
    }

    @Test
    @DisplayName("§3 pending design (Annapurve, point 3): PENDING_PRIVATE becomes PRIVATE when the last reference drops")
    void pendingResolvesOnLastUnpin() {
        int g = sim.createShared(2);
        sim.pin(g, 0, 1);
        sim.pin(g, 0, 2);
        sim.convert(g, 0, 2, PageState.PRIVATE);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PENDING_PRIVATE);
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.PENDING_PRIVATE);
        assertThat(sim.apply(new Operation.Unpin(1))).isEqualTo(OK);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PENDING_PRIVATE);
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.PRIVATE);
        Expectation x = sim.expect(new Operation.Unpin(0));
        assertThat(x.events()).contains(ModelEvent.PENDING_RESOLVED);
        sim.apply(new Operation.Unpin(0));
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
    }

    @Test
    @DisplayName("§3 pending design: a guest access to a PENDING_PRIVATE page -> memory-fault exit {page gpa, 4096, private}, nothing changes")
    void guestAccessWhilePendingFaults() {
        int g = sim.createShared(2);
        sim.bindAll(0, g);
        sim.pin(g, 1, 1);
        sim.convert(g, 0, 2, PageState.PRIVATE);
        long gpa = Sim.gpa(g, 1) + 16;
        Observation exit = new Observation.MemoryFaultExit(Sim.gpa(g, 1), PAGE, true);
        assertThat(sim.apply(new Operation.GuestRead(gpa))).isEqualTo(exit);
        assertThat(sim.apply(new Operation.GuestWrite(gpa, 5))).isEqualTo(exit);
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.PENDING_PRIVATE);
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 0)))).isEqualTo(new Observation.GuestValue(0));
        sim.apply(new Operation.Unpin(0));
        assertThat(sim.apply(new Operation.GuestRead(gpa))).isEqualTo(new Observation.GuestValue(0));
    }

    @Test
    @DisplayName("lead's semantics: to shared never looks at references: PENDING_PRIVATE -> SHARED, the pin then changes nothing")
    void pendingBackToShared() {
        int g = sim.createShared(1);
        sim.pin(g, 0, 1);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        assertThat(sim.convert(g, 0, 1, PageState.SHARED)).isEqualTo(OK);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.SHARED);
        sim.apply(new Operation.Unpin(0));
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.SHARED);
    }

    @Test
    @DisplayName("CONTRACT HOST: the host cannot touch a PENDING_PRIVATE page")
    void hostFaultsOnPending() {
        int g = sim.createShared(2);
        sim.pin(g, 1, 1);
        sim.convert(g, 1, 1, PageState.PRIVATE);
        assertThat(sim.read(g, 0, 2 * PAGE)).isEqualTo(new Observation.HostFault(PAGE));
    }

    @Test
    @DisplayName("pending edition: content is preserved through PENDING_PRIVATE and back")
    void pendingPreservesContent() {
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.write(g, 0, PAGE, 0x42);
        sim.pin(g, 0, 1);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        sim.apply(new Operation.Unpin(0));
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 0)))).isEqualTo(new Observation.GuestValue(0x4242424242424242L));
        sim.convert(g, 0, 1, PageState.SHARED);
        assertThat(sim.read(g, 0, PAGE)).isEqualTo(Sim.read(PAGE, 0x42));
    }
}
