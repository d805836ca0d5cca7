package dev.gmem.mutants;

import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.Session;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/**
 * The 6.12 erratum KVM-612-STALE-MMIO-SHARED-FAULT (ci/known-kernel-errata) as a model variant
 * of vm-attributes: a slot-less GPA that answered MMIO keeps KVM's cached MMIO SPTE; once the GPA
 * is private and a memslot change made that SPTE stale, the next guest access takes the
 * reserved-bit MMIO path, which never sets PFERR_PRIVATE_ACCESS, and exits with a shared
 * KVM_EXIT_MEMORY_FAULT (arch/x86/kvm/mmu/mmu.c kvm_mmu_page_fault: "emulated MMIO is shared-only").
 */
final class StaleMmioSpte extends Rewriting {
    /** GPA pages with a cached MMIO SPTE, and whether a memslot change has made it stale since. */
    private final Map<Long, Boolean> mmioCached = new HashMap<>();
    private final Set<Long> privateGpaPages = new HashSet<>();

    StaleMmioSpte(Session inner) {
        super(inner);
    }

    @Override
    public Observation apply(Operation op) {
        long gpa = op instanceof Operation.GuestRead r ? r.gpa() : op instanceof Operation.GuestWrite w ? w.gpa() : -1;
        long page = gpa >>> 12;
        if (gpa >= 0 && Boolean.TRUE.equals(mmioCached.get(page)) && privateGpaPages.contains(page)) {
            return new Observation.MemoryFaultExit(gpa & -PAGE_SIZE, PAGE_SIZE, false);
        }
        Observation o = inner.apply(op);
        if (gpa >= 0 && o instanceof Observation.MmioExit) mmioCached.putIfAbsent(page, false);
        if ((op instanceof Operation.Bind || op instanceof Operation.Unbind) && o instanceof Observation.Ok) {
            mmioCached.replaceAll((p, stale) -> true);
        }
        if (op instanceof Operation.Convert c && o instanceof Observation.Ok) {
            attributes(GuestLayout.gpa(c.gmem(), c.offset()), c.size(), c.target());
        }
        if (op instanceof Operation.GuestRequestConversion r && o instanceof Observation.HypercallExit h && h.hostResult() == 0) {
            attributes(r.gpa(), r.size(), r.target());
        }
        return o;
    }

    private void attributes(long gpa, long size, PageState target) {
        for (long p = gpa >>> 12; p < (gpa + size + PAGE_SIZE - 1) >>> 12; p++) {
            if (target == PageState.PRIVATE) privateGpaPages.add(p);
            else privateGpaPages.remove(p);
        }
    }
}
