package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** CONTRACT.md HCALL; KERNEL-ABI.md §2 (KVM_HC_MAP_GPA_RANGE) and §3 vm-attributes. */
class HypercallFactsTest {

    static List<Edition> requesting() {
        return Edition.where(Edition::guestRequestsConversion);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requesting")
    @DisplayName("§3 (private_mem_conversions_test): KVM_HC_MAP_GPA_RANGE exits with gpa, page count, attributes; the host converts and returns 0")
    void hypercallExitFields(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        sim.bindAll(0, g);
        long gpa = Sim.gpa(g, 1);
        assertThat(sim.apply(new Operation.GuestRequestConversion(gpa, 2 * PAGE, PageState.PRIVATE)))
                .isEqualTo(new Observation.HypercallExit(gpa, 2, MemoryAttributes.PRIVATE, 0));
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.PRIVATE);
        assertThat(sim.stateOf(g, 2)).isEqualTo(PageState.PRIVATE);
        assertThat(sim.stateOf(g, 3)).isEqualTo(PageState.SHARED);
        assertThat(sim.apply(new Operation.GuestRequestConversion(gpa, PAGE, PageState.SHARED)))
                .isEqualTo(new Observation.HypercallExit(gpa, 1, 0, 0));
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.SHARED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requesting")
    @DisplayName("lead's semantics: a misaligned or empty request, or PENDING_PRIVATE, is refused by KVM without an exit -> EINVAL")
    void badRequestIsEinval(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(g, 0) + 8, PAGE, PageState.PRIVATE))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(g, 0), 0, PageState.PRIVATE))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(g, 0), PAGE, PageState.PENDING_PRIVATE))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("lead's semantics: in place, the host's EAGAIN reaches the guest as -11 and nothing changes")
    void refusedRequestReturnsMinusEagain() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        int g = sim.createShared(2);
        sim.bindAll(0, g);
        sim.pin(g, 1, 1);
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(g, 0), 2 * PAGE, PageState.PRIVATE)))
                .isEqualTo(new Observation.HypercallExit(Sim.gpa(g, 0), 2, MemoryAttributes.PRIVATE, -11));
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.SHARED);
    }

    @Test
    @DisplayName("§3 pending design: a guest request converts referenced pages to PENDING_PRIVATE and returns 0")
    void pendingRequest() {
        Sim sim = Sim.of(Edition.PENDING);
        int g = sim.createShared(2);
        sim.bindAll(0, g);
        sim.pin(g, 1, 1);
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(g, 0), 2 * PAGE, PageState.PRIVATE)))
                .isEqualTo(new Observation.HypercallExit(Sim.gpa(g, 0), 2, MemoryAttributes.PRIVATE, 0));
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.PENDING_PRIVATE);
    }

    @Test
    @DisplayName("lead's semantics: in place, a range outside one live memslot -> hostResult -22, nothing changes")
    void requestOutsideSlot() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(2);
        sim.apply(Operation.Bind.canonical(0, g, 0, PAGE));
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(g, 0), 2 * PAGE, PageState.PRIVATE)))
                .isEqualTo(new Observation.HypercallExit(Sim.gpa(g, 0), 2, MemoryAttributes.PRIVATE, -22));
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.SHARED);
    }

    @Test
    @DisplayName("lead's semantics (vm-attributes): the host sets attributes on the GPA range even with no memslot there")
    void vmAttributesRequestWithoutSlot() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(1);
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(g, 0), PAGE, PageState.PRIVATE)))
                .isEqualTo(new Observation.HypercallExit(Sim.gpa(g, 0), 1, MemoryAttributes.PRIVATE, 0));
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
    }

    @Test
    @DisplayName("knobs: an edition with guestRequestsConversion false answers Unsupported")
    void noGuestRequests() {
        Sim sim = Sim.of(Edition.GMEM_MMAP);
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(0, 0), PAGE, PageState.PRIVATE)))
                .isInstanceOf(Observation.Unsupported.class);
    }
}
