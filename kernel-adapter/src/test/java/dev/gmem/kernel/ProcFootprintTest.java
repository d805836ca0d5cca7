package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.Footprint;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import org.junit.jupiter.api.Test;

import static dev.gmem.kernel.KvmAvailable.target;
import static org.assertj.core.api.Assertions.assertThat;

/** The kernel session's footprint comes from /proc: a guest_memfd and a pin show, and go when released. */
class ProcFootprintTest {

    @Test
    void aGuestMemfdAndAPinShowInTheFootprintUntilReleased() throws Exception {
        Edition e = KvmAvailable.edition();
        long flags = e.mmapFlag() | (e.initialState(e.mmapFlag()) == dev.gmem.api.PageState.SHARED ? 0 : e.initialFlipFlag());
        try (Session s = target().open(e)) {
            Footprint empty = s.footprint().orElseThrow();
            Observation created = s.apply(new Operation.Create(0, 2 * GuestLayout.PAGE_SIZE, flags));
            assertThat(created).isInstanceOf(Observation.Created.class);
            int g = ((Observation.Created) created).gmem();
            Footprint open = s.footprint().orElseThrow();
            assertThat(open.openFds()).as("the guest_memfd's fd").isEqualTo(empty.openFds() + 1);
            assertThat(open.mappings()).as("its host mappings").isGreaterThan(empty.mappings());
            Observation pin = s.apply(new Operation.Pin(g, 0, GuestLayout.PAGE_SIZE));
            assertThat(pin).isInstanceOf(Observation.Pinned.class);
            assertThat(s.footprint().orElseThrow().pins()).isEqualTo(empty.pins() + 1);
            assertThat(s.apply(new Operation.Unpin(((Observation.Pinned) pin).pin()))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new Operation.Close(g))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(empty.growthTo(s.footprint().orElseThrow())).isEmpty();
        }
    }
}
