package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** CONTRACT.md GUEST; KERNEL-ABI.md §2 (exit fields), §3 vm-attributes, §4 (6.18 guests). */
class GuestFactsTest {

    static List<Edition> inPlace() {
        return Edition.where(Edition::convertsInPlace);
    }

    @Test
    @DisplayName("§3 vm-attributes (private_mem_kvm_exits_test: memslot_deleted): a private GPA without memslot -> memory-fault exit {page-aligned gpa, 4096, PRIVATE}")
    void vmAttributesPrivateGpaWithoutSlotFaults() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(2);
        sim.bindAll(0, g);
        sim.convert(g, 1, 1, PageState.PRIVATE);
        assertThat(sim.apply(new Operation.Unbind(0))).isEqualTo(OK);
        long gpa = Sim.gpa(g, 1) + 0x18;
        assertThat(sim.apply(new Operation.GuestRead(gpa)))
                .isEqualTo(new Observation.MemoryFaultExit(Sim.gpa(g, 1), PAGE, true));
        assertThat(sim.apply(new Operation.GuestWrite(gpa, 1)))
                .isEqualTo(new Observation.MemoryFaultExit(Sim.gpa(g, 1), PAGE, true));
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 0)))).isEqualTo(new Observation.MmioExit(Sim.gpa(g, 0), false));
    }

    @Test
    @DisplayName("6.12 (mmu.c kvm_mmu_page_fault: emulated MMIO is shared-only): a slot-less GPA that answered MMIO may keep answering MMIO after it became private, until a memslot changes")
    void cachedMmioOutlivesConversionUntilMemslotChange() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(2);
        long gpa = Sim.gpa(g, 0) + 8;
        assertThat(sim.apply(new Operation.GuestRead(gpa))).isEqualTo(new Observation.MmioExit(gpa, false));
        sim.convert(g, 0, 2, PageState.PRIVATE);
        Observation fault = new Observation.MemoryFaultExit(Sim.gpa(g, 0), PAGE, true);
        Expectation cached = sim.expect(new Operation.GuestRead(gpa));
        assertThat(cached.allows(fault)).isTrue();
        assertThat(cached.allows(new Observation.MmioExit(gpa, false))).isTrue();
        assertThat(sim.expect(new Operation.GuestRead(Sim.gpa(g, 1))).allows(new Observation.MmioExit(Sim.gpa(g, 1), false)))
                .as("a page never served as MMIO has no cached SPTE").isFalse();
        int other = sim.createShared(1);
        sim.bindAll(5, other);
        assertThat(sim.expect(new Operation.GuestRead(gpa)).allows(new Observation.MmioExit(gpa, false)))
                .as("a memslot change retires cached MMIO SPTEs").isFalse();
        assertThat(sim.apply(new Operation.GuestRead(gpa))).isEqualTo(fault);
    }

    @Test
    @DisplayName("lead's semantics (vm-attributes): attributes stay with the GPA across unbind and rebind")
    void vmAttributesSurviveUnbind() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        sim.apply(new Operation.Unbind(0));
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
        sim.bindAll(1, g);
        sim.apply(new Operation.GuestWrite(Sim.gpa(g, 0), 7));
        assertThat(sim.read(g, 0, 8)).as("the write went to guest_memfd, not the shared buffer").isEqualTo(Sim.read(8, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inPlace")
    @DisplayName("CONTRACT GUEST: a SHARED page is coherent between host and guest, both ways")
    void sharedPageIsCoherent(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(2);
        sim.bindAll(0, g);
        sim.write(g, PAGE, 8, 0xab);
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 1)))).isEqualTo(new Observation.GuestValue(0xababababababababL));
        sim.apply(new Operation.GuestWrite(Sim.gpa(g, 0) + 8, 0x11));
        assertThat(sim.read(g, 8, 2)).isEqualTo(new Observation.Read(dev.gmem.api.Bytes.of(new byte[] {0x11, 0})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inPlace")
    @DisplayName("CONTRACT GUEST (software-protected VM): the guest reaches a PRIVATE page, and what it writes is invisible to the host")
    void privatePageIsGuestOnly(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        assertThat(sim.apply(new Operation.GuestWrite(Sim.gpa(g, 0), 0x77))).isEqualTo(OK);
        assertThat(sim.read(g, 0, 8)).isEqualTo(new Observation.HostFault(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inPlace")
    @DisplayName("§4 (a missing page is a KVM_EXIT_MMIO): a GPA outside every memslot -> MMIO exit with the address and direction")
    void noSlotIsMmio(Edition e) {
        Sim sim = Sim.of(e);
        sim.createShared(1);
        assertThat(sim.apply(new Operation.GuestWrite(0x1234_5678L & ~7L, 1)))
                .isEqualTo(new Observation.MmioExit(0x1234_5678L & ~7L, true));
    }

    @Test
    @DisplayName("§4 gmem-mmap: a SHARED page of a mappable file is coherent; a private page's guest access is not specified (a memory-fault, MMIO or other exit, or userspace_addr serves it)")
    void gmemMmapGuestAccess() {
        Sim sim = Sim.of(Edition.GMEM_MMAP);
        int shared = sim.createPages(1, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED);
        int hidden = sim.createPages(1, Edition.FLAG_MMAP);
        sim.bindAll(0, shared);
        sim.bindAll(1, hidden);
        sim.write(shared, 0, 8, 1);
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(shared, 0)))).isEqualTo(new Observation.GuestValue(0x0101010101010101L));
        long gpa = Sim.gpa(hidden, 0) + 8;
        Expectation x = sim.expect(new Operation.GuestRead(gpa));
        assertThat(x.allows(new Observation.MemoryFaultExit(Sim.gpa(hidden, 0), PAGE, false))).isTrue();
        assertThat(x.allows(new Observation.MemoryFaultExit(Sim.gpa(hidden, 0), PAGE, true))).isTrue();
        assertThat(x.allows(new Observation.MmioExit(gpa, false))).isTrue();
        assertThat(x.allows(new Observation.OtherExit("shutdown"))).isTrue();
        assertThat(x.allows(new Observation.MemoryFaultExit(gpa, PAGE, true))).as("gpa must be page-aligned").isFalse();
        assertThat(x.allows(new Observation.GuestValue(0))).as("served from userspace_addr (6.18 PVM)").isTrue();
        assertThat(x.allows(Observation.Ok.INSTANCE)).as("a read does not answer ok").isFalse();
        assertThat(x.allows(new Observation.Failed(Errno.EINVAL))).isFalse();
        assertThat(x.next(new Observation.OtherExit("shutdown"))).isSameAs(sim.state());
    }

    @Test
    @DisplayName("lead's semantics: guest accesses are 8-byte aligned, else Unsupported")
    void unalignedGuestAccessUnsupported() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(0, 0) + 4)))
                .isEqualTo(new Observation.Unsupported("guest accesses are 8-byte aligned"));
    }

    @Test
    @DisplayName("lead's semantics: guest accesses need VM 0: after it closes -> EBADF")
    void guestNeedsVm() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.apply(new Operation.CloseVm(0));
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 0)))).isEqualTo(failed(Errno.EBADF));
    }

    @Test
    @DisplayName("6.12 guest_memfd.c kvm_gmem_release: closing a guest_memfd unbinds it; a page it served faults (found on the reference kernel)")
    void closedGuestMemfdNoLongerServesTheGuest() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.write(g, 0, 8, 0x3);
        sim.apply(new Operation.Close(g));
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 0))))
                .isEqualTo(new Observation.MemoryFaultExit(Sim.gpa(g, 0), PAGE, false));
    }

    @Test
    @DisplayName("6.12 kvm_gmem_release (vm-attributes): after close a private GPA faults, a shared GPA still reads userspace_addr")
    void closedGuestMemfdVmAttributes() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(2);
        sim.bindAll(0, g);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        sim.write(g, PAGE, 8, 0x5);
        sim.apply(new Operation.Close(g));
        assertThat(sim.apply(new Operation.GuestWrite(Sim.gpa(g, 0), 1)))
                .isEqualTo(new Observation.MemoryFaultExit(Sim.gpa(g, 0), PAGE, true));
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 1)))).isEqualTo(new Observation.GuestValue(0x0505050505050505L));
    }
}
