package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.KernelFacts.PolicyScope;
import dev.gmem.api.Mempolicy;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gmem.kernel.KvmAvailable.profile;
import static dev.gmem.kernel.KvmAvailable.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The regression probes and the NUMA policy on this machine's /dev/kvm, in gmem-mmap (a mappable guest_memfd in a
 * default VM), with the parsers they read through. A probe that fails here is a kernel finding, not a skip.
 */
class KernelProbesTest {
    private static final long PAGE = dev.gmem.api.GuestLayout.PAGE_SIZE;
    private static final long SHARED = Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED;

    private static Session gmemMmap() throws Exception {
        assumeTrue(target().editions().contains(Edition.GMEM_MMAP), "the kernel has no mappable guest_memfd (6.18+)");
        return target().open(Edition.GMEM_MMAP);
    }

    @Test
    @DisplayName("UPSTREAM §4 (syzbot 33a04338019ac7e43a44): MADV_HUGEPAGE + mlock of 2 MiB-aligned guest_memfd stays 4 KiB, no WARN")
    void hugepageAdviceAndMlockStaySmallWithoutAWarn() throws Exception {
        try (Session s = gmemMmap()) {
            assertThat(s.apply(new Operation.KernelHealth())).isEqualTo(Observation.KernelHealth.CLEAN);
            Observation created = s.apply(new Operation.Create(0, 1024 * PAGE, SHARED));
            int g = ((Observation.Created) created).gmem();
            assertThat(s.apply(new Operation.Madvise(g, Operation.Madvise.Advice.HUGEPAGE))).isEqualTo(Observation.Ok.INSTANCE);
            Observation locked = s.apply(new Operation.Mlock(g));
            assumeTrue(!(locked instanceof Observation.Unsupported), () -> "skipped: " + locked);
            assertThat(locked).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new Operation.InspectMapping(g))).isEqualTo(Observation.MappingPages.SMALL);
            assertThat(s.apply(new Operation.Munlock(g))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new Operation.KernelHealth())).isEqualTo(Observation.KernelHealth.CLEAN);
        }
    }

    @Test
    @DisplayName("UPSTREAM §4 (CVE-2025-40274): closing guest_memfds while their memslots are deleted leaves the kernel clean")
    void closeWhileUnbindingLeavesTheKernelClean() throws Exception {
        try (Session s = gmemMmap()) {
            assertThat(s.apply(new Operation.KernelHealth())).isEqualTo(Observation.KernelHealth.CLEAN);
            for (int i = 0; i < 32; i++) {
                int g = ((Observation.Created) s.apply(new Operation.Create(0, 4 * PAGE, 0))).gmem();
                assertThat(s.apply(Operation.Bind.canonical(g, g, 0, 4 * PAGE))).isEqualTo(Observation.Ok.INSTANCE);
                assertThat(s.apply(new Operation.CloseWhileUnbinding(g, g))).isEqualTo(Observation.Ok.INSTANCE);
                assertThat(s.apply(new Operation.Stat(g))).isEqualTo(new Observation.Failed(dev.gmem.api.Errno.EBADF));
                assertThat(s.apply(new Operation.Unbind(g))).isEqualTo(new Observation.Failed(dev.gmem.api.Errno.EINVAL)); // the slot is gone
            }
            assertThat(s.apply(new Operation.CloseWhileUnbinding(99, 99))).isEqualTo(new Observation.Failed(dev.gmem.api.Errno.EINVAL));
            assertThat(s.apply(new Operation.KernelHealth())).isEqualTo(Observation.KernelHealth.CLEAN);
        }
    }

    @Test
    @DisplayName("the mempolicy probe agrees with what a session sees: the second mapping reads the policy iff it is the file's")
    void mempolicyScopeMatchesTheSession() throws Exception {
        PolicyScope scope = profile().kernelFacts().mempolicy();
        assumeTrue(scope == PolicyScope.FILE || scope == PolicyScope.MAPPING, () -> "skipped: " + profile().kernelFacts().decidedBy());
        try (Session s = gmemMmap()) {
            int g = ((Observation.Created) s.apply(new Operation.Create(0, 4 * PAGE, SHARED))).gmem();
            Mempolicy preferred = new Mempolicy(Mempolicy.Mode.PREFERRED, 1);
            assertThat(s.apply(new Operation.Mbind(g, 0, preferred))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new Operation.GetMempolicy(g, 0, 2 * PAGE))).isEqualTo(new Observation.Policy(preferred));
            assertThat(s.apply(new Operation.GetMempolicy(g, 1, 2 * PAGE)))
                    .isEqualTo(new Observation.Policy(scope == PolicyScope.FILE ? preferred : Mempolicy.DEFAULT));
            assertThat(s.apply(new Operation.Mbind(g, 0, new Mempolicy(Mempolicy.Mode.BIND, 1L << 63))))
                    .isEqualTo(new Observation.Failed(dev.gmem.api.Errno.EINVAL));
        }
    }

    @Test
    @DisplayName("UPSTREAM §3 (6.19, 7.2): MPOL_INTERLEAVE over two nodes alternates pages (needs two nodes and a file policy)")
    void interleaveAlternatesNodes() throws Exception {
        long nodes = NumaCalls.nodesWithMemory();
        assumeTrue(Long.bitCount(nodes) >= 2, "one NUMA node with memory (" + NumaCalls.NODES_WITH_MEMORY
                + " = 0x" + Long.toHexString(nodes) + "): run inside ci/vm-run --numa");
        assumeTrue(profile().kernelFacts().mempolicy() == PolicyScope.FILE,
                () -> "the kernel keeps no policy in a guest_memfd: " + profile().kernelFacts().decidedBy());
        try (Session s = gmemMmap()) {
            long a = Long.lowestOneBit(nodes);
            long two = a | Long.lowestOneBit(nodes & ~a);
            int g = ((Observation.Created) s.apply(new Operation.Create(0, 8 * PAGE, SHARED))).gmem();
            assertThat(s.apply(new Operation.Mbind(g, 0, new Mempolicy(Mempolicy.Mode.INTERLEAVE, two)))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new Operation.HostWrite(g, 0, 8 * PAGE, (byte) 1, 0))).isEqualTo(Observation.Ok.INSTANCE);
            List<Integer> on = ((Observation.PageNodes) s.apply(new Operation.PageNodes(g, 0, 8 * PAGE))).nodes();
            for (int i = 1; i < on.size(); i++) assertThat(on.get(i)).as("pages %s", on).isNotEqualTo(on.get(i - 1));
        }
    }

    @Test
    @DisplayName("move_pages reports the node of populated pages and -ENOENT for pages never touched")
    void pageNodesOfPopulatedAndUntouchedPages() throws Exception {
        try (Session s = gmemMmap()) {
            int g = ((Observation.Created) s.apply(new Operation.Create(0, 2 * PAGE, SHARED))).gmem();
            assertThat(s.apply(new Operation.HostWrite(g, 0, PAGE, (byte) 1, 0))).isEqualTo(Observation.Ok.INSTANCE);
            List<Integer> on = ((Observation.PageNodes) s.apply(new Operation.PageNodes(g, 0, 2 * PAGE))).nodes();
            assertThat(on.get(0)).isGreaterThanOrEqualTo(0);
            assertThat((NumaCalls.nodesWithMemory() >> on.get(0)) & 1).isEqualTo(1L);
            assertThat(on.get(1)).isEqualTo(-Errnos.ENOENT);
        }
    }

    @Test
    void smapsSumsTheVmasInsideTheRange() {
        List<String> lines = List.of(
                "7f0000000000-7f0000200000 rw-s 00000000 00:10 5713054                    anon_inode:[kvm-gmem]",
                "Size:               2048 kB", "KernelPageSize:        4 kB", "AnonHugePages:         0 kB",
                "FilePmdMapped:      2048 kB", "VmFlags: rd wr sh mr mw ms hg",
                "7f0000200000-7f0000201000 ---p 00000000 00:00 0",
                "KernelPageSize:        4 kB", "AnonHugePages:      2048 kB");
        assertThat(Smaps.parse(lines, 0x7f0000000000L, 2L << 20)).isEqualTo(new Observation.MappingPages(PAGE, 0, 2L << 20));
        assertThat(Smaps.parse(lines, 0x7f0000000000L, (2L << 20) + PAGE)).isEqualTo(new Observation.MappingPages(PAGE, 2L << 20, 2L << 20));
        assertThat(Smaps.parse(lines, 0x100000L, PAGE)).isNull();
    }

    @Test
    void kernelLogRecordsAreReducedToTheirFirstLineAndReportsAreRecognised() {
        String warn = "4,1234,5678,-;WARNING: CPU: 1 PID: 42 at virt/kvm/guest_memfd.c:360 kvm_gmem_fault_user_mapping+0x1/0x2\n SUBSYSTEM=kvm\n";
        assertThat(KernelLog.message(warn)).startsWith("WARNING: CPU: 1 PID: 42 at virt/kvm/guest_memfd.c:360");
        assertThat(KernelLog.REPORT.matcher(KernelLog.message(warn)).find()).isTrue();
        assertThat(KernelLog.REPORT.matcher("BUG: KASAN: slab-use-after-free in kvm_gmem_release").find()).isTrue();
        assertThat(KernelLog.REPORT.matcher(KernelLog.message("6,99,1,-;KVM: debugfs: duplicate directory 710-30\n")).find()).isFalse();
    }

    @Test
    void nodeListsParse() {
        assertThat(NumaCalls.cpulist("0\n")).isEqualTo(1L);
        assertThat(NumaCalls.cpulist("0-1,3")).isEqualTo(0b1011L);
        assertThat(NumaCalls.mode(NumaCalls.number(Mempolicy.Mode.INTERLEAVE))).isEqualTo(Mempolicy.Mode.INTERLEAVE);
        assertThat(NumaCalls.mode(4)).isNull();
    }
}
