package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.Mempolicy;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** The regression probes (UPSTREAM.md §4) and NUMA mempolicy (UPSTREAM.md §3, 6.19) as the model allows them. */
class ProbeFactsTest {
    private static final Mempolicy INTERLEAVE_01 = new Mempolicy(Mempolicy.Mode.INTERLEAVE, 0b11);

    @Test
    @DisplayName("UPSTREAM §4 (syzbot 33a04338019ac7e43a44): advice and mlock leave a guest_memfd mapping in 4 KiB pages")
    void hugepageAdviceAndMlockKeepSmallPages() {
        Sim sim = Sim.of(Edition.INPLACE);
        int g = sim.createShared(512);
        assertThat(sim.apply(new Operation.Madvise(g, Operation.Madvise.Advice.HUGEPAGE))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.Mlock(g))).isEqualTo(OK);
        Expectation inspect = sim.expect(new Operation.InspectMapping(g));
        assertThat(inspect.allows(Observation.MappingPages.SMALL)).isTrue();
        assertThat(inspect.allows(new Observation.MappingPages(PAGE, 0, 2L << 20))).isFalse();
        assertThat(inspect.allows(new Observation.MappingPages(2L << 20, 0, 0))).isFalse();
        assertThat(sim.apply(new Operation.Munlock(g))).isEqualTo(OK);
    }

    @Test
    @DisplayName("mlock populates every page: a page the host cannot touch (private) makes it ENOMEM")
    void mlockOfAPrivatePageIsEnomem() {
        Sim sim = Sim.of(Edition.INPLACE);
        int g = sim.createShared(4);
        assertThat(sim.convert(g, 2, 1, PageState.PRIVATE)).isEqualTo(OK);
        assertThat(sim.apply(new Operation.Mlock(g))).isEqualTo(failed(Errno.ENOMEM));
        int p = sim.createPages(2, Sim.privateFlags(Edition.GMEM_MMAP) | Edition.FLAG_MMAP);
        assertThat(sim.expect(new Operation.Mlock(p)).allows(OK)).isFalse();
    }

    @Test
    @DisplayName("the probes act on guest_memfd's own mapping: none without the mmap flag (ENODEV), none in vm-attributes")
    void probesNeedAGuestMemfdMapping() {
        Sim mmap = Sim.of(Edition.GMEM_MMAP);
        int g = mmap.createPages(2, 0);
        assertThat(mmap.apply(new Operation.InspectMapping(g))).isEqualTo(failed(Errno.ENODEV));
        assertThat(mmap.apply(new Operation.Mlock(7))).isEqualTo(failed(Errno.EBADF));
        Sim separate = Sim.of(Edition.VM_ATTRIBUTES);
        int s = separate.createShared(2);
        assertThat(separate.apply(new Operation.Madvise(s, Operation.Madvise.Advice.HUGEPAGE))).isEqualTo(failed(Errno.ENODEV));
    }

    @Test
    @DisplayName("UPSTREAM §4 (CVE-2025-40274): closing while the memslot is deleted closes and unbinds; the kernel stays clean")
    void closeWhileUnbindingClosesAndUnbinds() {
        Sim sim = Sim.of(Edition.GMEM_MMAP);
        int g = sim.createPages(4, 0);
        assertThat(sim.bindAll(g, g)).isEqualTo(OK);
        assertThat(sim.apply(new Operation.KernelHealth())).isEqualTo(Observation.KernelHealth.CLEAN);
        assertThat(sim.apply(new Operation.CloseWhileUnbinding(g, g + 1))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.CloseWhileUnbinding(g, g))).isEqualTo(OK);
        assertThat(sim.state().bindings()).isEmpty();
        assertThat(sim.state().liveGmems()).isEmpty();
        Expectation health = sim.expect(new Operation.KernelHealth());
        assertThat(health.allows(Observation.KernelHealth.CLEAN)).isTrue();
        assertThat(health.allows(new Observation.KernelHealth(1L << 9, List.of()))).isFalse();
        assertThat(health.allows(new Observation.KernelHealth(0, List.of("BUG: KASAN: slab-use-after-free in kvm_gmem_release")))).isFalse();
    }

    @Test
    @DisplayName("UPSTREAM §3 (kvm-x86-gmem-6.19): from 6.19 the policy lives in the file, so every mapping reads it back")
    void fromSixNineteenThePolicyIsTheFiles() {
        Sim sim = Sim.of(Edition.INPLACE, KernelFacts.FROM_7_2);
        int g = sim.createShared(4);
        assertThat(sim.apply(new Operation.Mbind(g, 0, INTERLEAVE_01))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.GetMempolicy(g, 1, PAGE))).isEqualTo(new Observation.Policy(INTERLEAVE_01));
        assertThat(sim.apply(new Operation.GetMempolicy(g, 0, 4 * PAGE))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Mbind(g, 1, new Mempolicy(Mempolicy.Mode.PREFERRED, 0b11))))
                .isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("probed on 6.18.44: before 6.19 the policy stays in the mapping mbind was given; another reads MPOL_DEFAULT")
    void beforeSixNineteenThePolicyIsTheMappings() {
        Sim sim = Sim.of(Edition.GMEM_MMAP, KernelFacts.MAINLINE_6_18);
        int g = sim.createShared(4);
        assertThat(sim.apply(new Operation.Mbind(g, 0, INTERLEAVE_01))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.GetMempolicy(g, 0, 0))).isEqualTo(new Observation.Policy(INTERLEAVE_01));
        assertThat(sim.apply(new Operation.GetMempolicy(g, 1, 0))).isEqualTo(new Observation.Policy(Mempolicy.DEFAULT));
        Sim unknown = Sim.of(Edition.GMEM_MMAP, KernelFacts.UNKNOWN);
        int u = unknown.createShared(4);
        assertThat(unknown.apply(new Operation.Mbind(u, 0, INTERLEAVE_01))).isEqualTo(OK);
        Expectation either = unknown.expect(new Operation.GetMempolicy(u, 1, 0));
        assertThat(either.allows(new Observation.Policy(INTERLEAVE_01))).isTrue();
        assertThat(either.allows(new Observation.Policy(Mempolicy.DEFAULT))).isTrue();
        Sim none = Sim.of(Edition.GMEM_MMAP, KernelFacts.MAINLINE_6_18.withMempolicy(KernelFacts.PolicyScope.NONE));
        assertThat(none.apply(new Operation.Mbind(none.createShared(1), 0, INTERLEAVE_01))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("which node a page is on is the kernel's: the model checks only that each page gets an answer")
    void pageNodesHaveOneAnswerPerPage() {
        Sim sim = Sim.of(Edition.INPLACE);
        int g = sim.createShared(4);
        Expectation e = sim.expect(new Operation.PageNodes(g, PAGE, 2 * PAGE));
        assertThat(e.allows(new Observation.PageNodes(List.of(0, 1)))).isTrue();
        assertThat(e.allows(new Observation.PageNodes(List.of(0)))).isFalse();
        assertThat(sim.apply(new Operation.PageNodes(g, 1, PAGE))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.expect(new Operation.NumaNodes()).allows(new Observation.NumaNodes(0))).isFalse();
        assertThat(sim.expect(new Operation.NumaNodes()).allows(new Observation.NumaNodes(0b101))).isTrue();
    }
}
