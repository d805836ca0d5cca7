package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** CONTRACT.md BIND; KERNEL-ABI.md §4 "Memslots". */
class BindFactsTest {
    private final Sim sim = Sim.of(Edition.INPLACE_V8);

    @Test
    @DisplayName("§4: size, gpa or offset misaligned, size 0, overflow or slot >= KVM_USER_MEM_SLOTS -> EINVAL")
    void malformedBindIsEinval() {
        int g = sim.createShared(4);
        long gpa = Sim.gpa(g, 0);
        assertThat(sim.apply(new Operation.Bind(0, g, 8, PAGE, gpa))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Bind(0, g, 0, PAGE + 1, gpa))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Bind(0, g, 0, PAGE, gpa + 8))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Bind(0, g, 0, 0, gpa))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Bind(0, g, -PAGE, 2 * PAGE, gpa))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Bind(Transitions.MAX_USER_SLOTS, g, 0, PAGE, gpa))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Bind(-1, g, 0, PAGE, gpa))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.state().bindings()).isEmpty();
    }

    @Test
    @DisplayName("§4: an existing guest_memfd slot can only be deleted: binding it again -> EINVAL")
    void boundSlotCanOnlyBeDeleted() {
        int g = sim.createShared(4);
        assertThat(sim.apply(Operation.Bind.canonical(3, g, 0, PAGE))).isEqualTo(OK);
        assertThat(sim.apply(Operation.Bind.canonical(3, g, PAGE, PAGE))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Unbind(3))).isEqualTo(OK);
        assertThat(sim.apply(Operation.Bind.canonical(3, g, PAGE, PAGE))).isEqualTo(OK);
    }

    @Test
    @DisplayName("KVM (__kvm_set_memory_region): memory_size 0 deletes a bound slot (found by the suite on 6.18)")
    void sizeZeroDeletesBoundSlot() {
        int g = sim.createShared(4);
        assertThat(sim.apply(Operation.Bind.canonical(3, g, 0, PAGE))).isEqualTo(OK);
        assertThat(sim.apply(Operation.Bind.canonical(3, g, 0, 0))).isEqualTo(OK);
        assertThat(sim.state().bindings()).isEmpty();
        assertThat(sim.apply(Operation.Bind.canonical(3, g, 0, 0))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("KVM (__kvm_set_memory_region): a GPA range overlapping another slot -> EEXIST")
    void overlappingGpaIsEexist() {
        int g = sim.createShared(4);
        int h = sim.createShared(4);
        assertThat(sim.apply(Operation.Bind.canonical(0, g, 0, 2 * PAGE))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.Bind(1, h, 0, PAGE, Sim.gpa(g, 1)))).isEqualTo(failed(Errno.EEXIST));
    }

    @Test
    @DisplayName("lead's semantics: a closed or unknown guest_memfd -> EBADF (after the slot checks)")
    void closedGmemIsEbadf() {
        int g = sim.createShared(1);
        sim.apply(new Operation.Close(g));
        assertThat(sim.apply(Operation.Bind.canonical(0, g, 0, PAGE))).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.apply(Operation.Bind.canonical(0, 5, 0, PAGE))).isEqualTo(failed(Errno.EBADF));
    }

    @Test
    @DisplayName("§4: a guest_memfd of another VM -> EINVAL")
    void otherVmIsEinval() {
        sim.apply(new Operation.Create(1, PAGE, Sim.sharedFlags(Edition.INPLACE_V8)));
        assertThat(sim.apply(Operation.Bind.canonical(0, 0, 0, PAGE))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("§4: a range beyond the file -> EINVAL")
    void beyondFileIsEinval() {
        int g = sim.createShared(2);
        assertThat(sim.apply(Operation.Bind.canonical(0, g, PAGE, 2 * PAGE))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("§4 (6.18, gmem-mmap's kernel facts): overlapping bindings of one guest_memfd -> EINVAL; disjoint ones are fine")
    void overlappingFileRangesAreEinval() {
        Sim sim = Sim.of(Edition.GMEM_MMAP);
        int g = sim.createShared(4);
        assertThat(sim.apply(new Operation.Bind(0, g, 0, 2 * PAGE, Sim.gpa(g, 0)))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.Bind(1, g, PAGE, 2 * PAGE, Sim.gpa(9, 0)))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Bind(1, g, 2 * PAGE, 2 * PAGE, Sim.gpa(9, 0)))).isEqualTo(OK);
        assertThat(sim.state().bindings()).extracting(ModelState.BindingInfo::slot).containsExactly(0, 1);
    }

    @Test
    @DisplayName("KVM: deleting a slot that is not there -> EINVAL; Bind/Unbind need VM 0 (EBADF once closed)")
    void unbindRules() {
        int g = sim.createShared(1);
        assertThat(sim.apply(new Operation.Unbind(0))).isEqualTo(failed(Errno.EINVAL));
        sim.apply(Operation.Bind.canonical(0, g, 0, PAGE));
        sim.apply(new Operation.CloseVm(0));
        assertThat(sim.apply(new Operation.Unbind(0))).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.apply(Operation.Bind.canonical(1, g, 0, PAGE))).isEqualTo(failed(Errno.EBADF));
    }
}
