package dev.gmem.kernel;

import dev.gmem.api.KernelFacts.PolicyScope;
import dev.gmem.api.Mempolicy;

/**
 * Where mbind on a guest_memfd mapping keeps its policy, found by behaviour (UPSTREAM.md §3, 6.19): mbind
 * MPOL_PREFERRED on one mapping of a one-page file, then get_mempolicy through a second mapping. 6.19's
 * kvm_gmem_set_policy keeps it in the file (the second mapping reads it); before, it stays in the first
 * mapping's VMA (the second reads MPOL_DEFAULT: probed on 6.18.44).
 */
final class MempolicyProbe {
    private MempolicyProbe() {
    }

    /** The scope, and in words what decided it. */
    record Answer(PolicyScope scope, String decidedBy) {
    }

    static Answer probe(Vm vm) {
        long flags = Kvm.GUEST_MEMFD_FLAG_MMAP | Kvm.GUEST_MEMFD_FLAG_INIT_SHARED;
        int fd = vm.createGuestMemfd(Kvm.PAGE_SIZE, flags);
        if (fd < 0) return new Answer(PolicyScope.EITHER, "mempolicy not probed: no mappable guest_memfd (" + Errnos.name(-fd) + ")");
        Mapping first = null;
        Mapping second = null;
        try {
            first = Mapping.sharedWithGuard(fd, Kvm.PAGE_SIZE);
            second = Mapping.sharedWithGuard(fd, Kvm.PAGE_SIZE);
            Mempolicy node0 = new Mempolicy(Mempolicy.Mode.PREFERRED, 1);
            int err = NumaCalls.mbind(first.address(), Kvm.PAGE_SIZE, node0);
            if (err == Errnos.EINVAL) return new Answer(PolicyScope.NONE, "mbind on a guest_memfd mapping answered EINVAL");
            if (err != 0) return new Answer(PolicyScope.EITHER, "mbind on a guest_memfd mapping answered " + Errnos.name(err));
            long[] seen = NumaCalls.getMempolicy(second.address());
            if (seen[0] == LibC.MPOL_PREFERRED) {
                return new Answer(PolicyScope.FILE, "a second mapping reads the policy mbind set on the first");
            }
            if (seen[0] == LibC.MPOL_DEFAULT) {
                return new Answer(PolicyScope.MAPPING, "a second mapping reads MPOL_DEFAULT after mbind on the first");
            }
            return new Answer(PolicyScope.EITHER, "get_mempolicy through a second mapping answered "
                    + (seen[0] < 0 ? Errnos.name((int) seen[1]) : "mode " + seen[0]));
        } catch (SysError e) {
            return new Answer(PolicyScope.EITHER, "mempolicy not probed: " + e.getMessage());
        } finally {
            if (first != null) first.release();
            if (second != null) second.release();
            LibC.close(fd);
        }
    }
}
