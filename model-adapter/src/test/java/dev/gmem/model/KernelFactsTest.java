package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** UPSTREAM.md §3: answers keyed by the kernel's generation, which a target detects and the model follows. */
class KernelFactsTest {
    /** Below 2^63, with offset + size = 2^63: a signed comparison lets it through. */
    private static final long HUGE_OFFSET = Long.MAX_VALUE - PAGE + 1;

    private static Expectation overlappingBind(KernelFacts facts) {
        Sim sim = Sim.of(Edition.INPLACE, facts);
        int g = sim.createShared(4);
        assertThat(sim.apply(new Operation.Bind(0, g, 0, 2 * PAGE, Sim.gpa(g, 0)))).isEqualTo(OK);
        return sim.expect(new Operation.Bind(1, g, PAGE, 2 * PAGE, Sim.gpa(9, 0)));
    }

    @Test
    @DisplayName("UPSTREAM §3 (merge 06ba195f136a, kvm-x86-gmem-7.2): an overlapping guest_memfd binding is EINVAL up to 7.1, "
            + "EEXIST from 7.2, either where nothing decided it")
    void bindOverlapFollowsTheGeneration() {
        Expectation old = overlappingBind(KernelFacts.MAINLINE_6_18);
        assertThat(old.allows(failed(Errno.EINVAL))).isTrue();
        assertThat(old.allows(failed(Errno.EEXIST))).isFalse();
        Expectation current = overlappingBind(KernelFacts.FROM_7_2);
        assertThat(current.allows(failed(Errno.EEXIST))).isTrue();
        assertThat(current.allows(failed(Errno.EINVAL))).isFalse();
        Expectation unknown = overlappingBind(KernelFacts.UNKNOWN);
        assertThat(unknown.allows(failed(Errno.EINVAL))).isTrue();
        assertThat(unknown.allows(failed(Errno.EEXIST))).isTrue();
        assertThat(unknown.allows(OK)).isFalse();
        assertThat(unknown.next(failed(Errno.EEXIST)).bindings()).hasSize(1);
    }

    private static Expectation hugeOffsetBind(KernelFacts facts, long offset) {
        Sim sim = Sim.of(Edition.GMEM_MMAP, facts);
        int g = sim.createShared(2);
        return sim.expect(new Operation.Bind(0, g, offset, PAGE, Sim.gpa(g, 0)));
    }

    @Test
    @DisplayName("UPSTREAM §3 (06ba195f136a): guest_memfd_offset + size reaching 2^63 is rejected from 7.2 and by 6.12 (u64 "
            + "compare in kvm_gmem_bind), accepted by 6.18 (probed on 6.18.44); an offset of 2^63 is EINVAL everywhere")
    void hugeBindOffsetFollowsTheGeneration() {
        assertThat(hugeOffsetBind(KernelFacts.FROM_7_2, HUGE_OFFSET).allows(failed(Errno.EINVAL))).isTrue();
        assertThat(hugeOffsetBind(KernelFacts.FROM_7_2, HUGE_OFFSET).allows(OK)).isFalse();
        assertThat(hugeOffsetBind(KernelFacts.MAINLINE_6_12, HUGE_OFFSET).allows(OK)).isFalse();
        Expectation probed = hugeOffsetBind(KernelFacts.MAINLINE_6_18, HUGE_OFFSET);
        assertThat(probed.allows(OK)).isTrue();
        assertThat(probed.allows(failed(Errno.EINVAL))).isFalse();
        Expectation unknown = hugeOffsetBind(KernelFacts.UNKNOWN, HUGE_OFFSET);
        assertThat(unknown.allows(OK)).isTrue();
        assertThat(unknown.allows(failed(Errno.EINVAL))).isTrue();
        for (KernelFacts f : new KernelFacts[] {KernelFacts.MAINLINE_6_18, KernelFacts.UNKNOWN}) {
            assertThat(hugeOffsetBind(f, Long.MIN_VALUE).allows(OK)).as("offset 2^63, %s", f.generation()).isFalse();
        }
    }

    @Test
    @DisplayName("6.18: a guest access in a slot bound past the end of its file is undefined, not a model error")
    void guestAccessPastTheFileIsUndefined() {
        Sim sim = Sim.of(Edition.GMEM_MMAP);
        int g = sim.createShared(2);
        assertThat(sim.apply(new Operation.Bind(0, g, HUGE_OFFSET, PAGE, Sim.gpa(g, 0)))).isEqualTo(OK);
        Expectation x = sim.expect(new Operation.GuestRead(Sim.gpa(g, 0)));
        assertThat(x.allows(new Observation.OtherExit("anything"))).isTrue();
        assertThat(sim.apply(new Operation.Unbind(0))).isEqualTo(OK);
    }

    @Test
    @DisplayName("model editions stay strict: each edition's own facts allow one answer per fact")
    void editionDefaultsAreStrict() {
        for (Edition e : Edition.all()) {
            KernelFacts f = e.kernelFacts();
            assertThat(f.bindOverlap()).as(e.name()).hasSize(1);
            assertThat(f.hugeBindOffset()).as(e.name()).isNotEqualTo(KernelFacts.Answer.EITHER);
            assertThat(f.flagsOnlyGmemClear()).as(e.name()).isNotEqualTo(KernelFacts.Answer.EITHER);
        }
        assertThat(Edition.INPLACE.kernelFacts().bindOverlap()).isEqualTo(Set.of(Errno.EEXIST));
    }

    @Test
    @DisplayName("UPSTREAM §3 (9935df5333aa, 6.19): the flags-only clear of KVM_MEM_GUEST_MEMFD is reported, with what decided it")
    void summarySaysWhatWasAssumed() {
        KernelFacts detected = KernelFacts.FROM_7_2.describedAs("7.2 or later", "bind overlap answered EEXIST");
        assertThat(detected.summary()).isEqualTo("7.2 or later (bind overlap answered EEXIST): bind overlap EEXIST, "
                + "huge guest_memfd_offset + size rejected, flags-only clear of KVM_MEM_GUEST_MEMFD rejected, mempolicy per file");
        assertThat(KernelFacts.UNKNOWN.summary()).contains("EEXIST or EINVAL").contains("either");
    }
}
