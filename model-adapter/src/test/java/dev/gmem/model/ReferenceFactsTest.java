package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.ReferenceRule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** KERNEL-ABI.md §3, CONTRACT.md REF: host references and conversion to private. */
class ReferenceFactsTest {

    static List<Edition> refusing() {
        return Edition.where(e -> e.referenceRule() == ReferenceRule.REFUSE_EAGAIN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusing")
    @DisplayName("§3 rfc-v2 / inplace-v8: to private with a pinned page -> EAGAIN, error_offset = first pinned page at or after offset")
    void eagainAtFirstPinnedPageAtOrAfterOffset(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(8);
        assertThat(sim.pin(g, 1, 1)).isEqualTo(new Observation.Pinned(0));
        assertThat(sim.pin(g, 5, 2)).isEqualTo(new Observation.Pinned(1));
        assertThat(sim.apply(new Operation.Pin(g, 3 * PAGE + 100, 10))).isEqualTo(new Observation.Pinned(2));
        assertThat(sim.convert(g, 2, 6, PageState.PRIVATE)).isEqualTo(new Observation.Refused(Errno.EAGAIN, 3 * PAGE));
        assertThat(sim.convert(g, 4, 4, PageState.PRIVATE)).isEqualTo(new Observation.Refused(Errno.EAGAIN, 5 * PAGE));
        assertThat(sim.convert(g, 0, 8, PageState.PRIVATE)).isEqualTo(new Observation.Refused(Errno.EAGAIN, PAGE));
        assertThat(sim.expect(Operation.Convert.of(g, 4 * PAGE, 4 * PAGE, PageState.PRIVATE)).describe())
                .isEqualTo("Refused[EAGAIN, errorOffset=0x5000]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusing")
    @DisplayName("§3 rfc-v2 / inplace-v8: on EAGAIN nothing changes state, not even the unpinned pages of the range")
    void noStateChangeOnEagain(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        sim.write(g, 0, 4 * PAGE, 0x11);
        sim.pin(g, 3, 1);
        assertThat(sim.convert(g, 0, 4, PageState.PRIVATE)).isInstanceOf(Observation.Refused.class);
        for (long p = 0; p < 4; p++) assertThat(sim.stateOf(g, p)).isEqualTo(PageState.SHARED);
        assertThat(sim.read(g, 0, 4 * PAGE)).isEqualTo(Sim.read(4 * PAGE, 0x11));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusing")
    @DisplayName("CONTRACT REF: after unpin the same conversion succeeds")
    void unpinThenConvertSucceeds(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        sim.pin(g, 2, 1);
        assertThat(sim.convert(g, 0, 4, PageState.PRIVATE)).isInstanceOf(Observation.Refused.class);
        assertThat(sim.apply(new Operation.Unpin(0))).isEqualTo(OK);
        assertThat(sim.convert(g, 0, 4, PageState.PRIVATE)).isEqualTo(OK);
        assertThat(sim.stateOf(g, 2)).isEqualTo(PageState.PRIVATE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusing")
    @DisplayName("§3 rfc-v2 / inplace-v8: to shared never checks references")
    void toSharedIgnoresReferences(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        sim.pin(g, 0, 1);
        assertThat(sim.convert(g, 1, 3, PageState.PRIVATE)).isEqualTo(OK);
        assertThat(sim.convert(g, 0, 4, PageState.SHARED)).isEqualTo(OK);
        for (long p = 0; p < 4; p++) assertThat(sim.stateOf(g, p)).isEqualTo(PageState.SHARED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusing")
    @DisplayName("§4 (after a punch the pipe still drains the old data): a punched page is a new page, earlier pins no longer hold it")
    void punchedPageDropsEarlierPins(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(2);
        sim.pin(g, 0, 2);
        assertThat(sim.apply(new Operation.PunchHole(g, 0, PAGE))).isEqualTo(OK);
        assertThat(sim.state().references(g, 0)).isZero();
        assertThat(sim.state().references(g, 1)).isEqualTo(1);
        assertThat(sim.convert(g, 0, 1, PageState.PRIVATE)).isEqualTo(OK);
        assertThat(sim.convert(g, 1, 1, PageState.PRIVATE)).isEqualTo(new Observation.Refused(Errno.EAGAIN, PAGE));
        assertThat(sim.apply(new Operation.Unpin(0))).isEqualTo(OK);
        sim.pin(g, 1, 1);
        assertThat(sim.state().references(g, 1)).isEqualTo(1);
    }

    @Test
    @DisplayName("CONTRACT REF (vm-attributes: no check): pins on the shared buffer never stop a conversion to private")
    void vmAttributesIgnoreReferences() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(2);
        assertThat(sim.pin(g, 0, 2)).isEqualTo(new Observation.Pinned(0));
        assertThat(sim.convert(g, 0, 2, PageState.PRIVATE)).isEqualTo(OK);
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.PRIVATE);
    }

    @Test
    @DisplayName("lead's semantics: pins count from 0 in order; unpin of an unknown or released pin -> EBADF; pin of length 0 -> EINVAL")
    void pinHandles() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        int g = sim.createShared(2);
        assertThat(sim.apply(new Operation.Pin(g, 0, 0))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.pin(g, 0, 1)).isEqualTo(new Observation.Pinned(0));
        assertThat(sim.pin(g, 1, 1)).isEqualTo(new Observation.Pinned(1));
        assertThat(sim.apply(new Operation.Unpin(0))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.Unpin(0))).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.apply(new Operation.Unpin(9))).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.state().livePins()).containsExactly(new ModelState.PinInfo(1, g, PAGE, PAGE));
    }

    @Test
    @DisplayName("§3 (a private page cannot be touched by the host): pinning a private page faults and makes no pin")
    void privatePageCannotBePinned() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        int g = sim.createShared(3);
        sim.convert(g, 1, 1, PageState.PRIVATE);
        assertThat(sim.pin(g, 0, 3)).isEqualTo(new Observation.HostFault(PAGE));
        assertThat(sim.state().livePins()).isEmpty();
        assertThat(sim.pin(g, 0, 1)).isEqualTo(new Observation.Pinned(0));
    }

    @Test
    @DisplayName("lead's semantics: closing a guest_memfd leaves its pins live")
    void pinsOutliveClose() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(1);
        sim.pin(g, 0, 1);
        sim.apply(new Operation.Close(g));
        assertThat(sim.state().livePins()).hasSize(1);
        assertThat(sim.apply(new Operation.Unpin(0))).isEqualTo(OK);
    }
}
