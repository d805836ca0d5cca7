package dev.gmem.model;

import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.ReferenceRule;
import dev.gmem.api.VmType;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the contract allows an operation because of what runs at the same time on other threads,
 * beyond the answer of some order of the operations (linearizability, which the checker finds):
 *
 * <ul>
 * <li><b>Transient EAGAIN.</b> A vCPU access in flight holds a folio reference while its fault is
 * served, and a conversion to private that counts references fails with EAGAIN at that page, no
 * page changing state (UPSTREAM.md §2.3 row 3, kvm_gmem_is_safe_for_conversion(); selftest
 * gmem_convert_fault_race.c). So while a guest access to page {@code p} of the range overlaps a
 * conversion to private, {@code Refused[EAGAIN, p]} is allowed too, for {@code p} below the page
 * the model refuses at (the kernel reports the first page with an extra reference); a
 * guest-requested conversion then returns -EAGAIN to the guest.</li>
 * <li><b>A guest access racing a conversion sees either state</b>: that is the access ordered
 * before or after the conversion, which linearizability already allows, <b>or it exits with a
 * memory fault</b>. A software-protected VM's fault reads the page's attributes twice: x86
 * kvm_mmu_page_fault() sets PFERR_PRIVATE_ACCESS from kvm_mem_is_private(), and
 * kvm_mmu_faultin_pfn() compares fault-&gt;is_private with kvm_mem_is_private() again and exits
 * with KVM_EXIT_MEMORY_FAULT on a mismatch (the "mismatch exit" of the seed thread). A conversion
 * between the two reads makes the access fault as the kind the page was, the access doing nothing.
 * So while a conversion of page {@code p} to the other state is in flight, an access to {@code p}
 * may answer {@code MemoryFaultExit[p, private = p's state]}: the access ordered just before the
 * conversion (found by RACE-5 on 7.3 on two guest CPUs: a shared fault racing a guest-requested
 * conversion to private).</li>
 * <li><b>A host read racing a write of the same bytes may be torn</b>: host reads and writes are
 * copies of plain memory (process_vm_readv / process_vm_writev, memcpy underneath), which no
 * edition makes atomic, so each byte read holds the old value or the racing write's: a host
 * write's or a guest store's ({@link TornRead}). For the same reason a guest load racing a host
 * write of its bytes may be torn ({@link TornRead} too); a guest load racing a guest store is not
 * (both are one aligned 8-byte access). Every edition; writes racing writes are left out of
 * concurrent cases (their result has no model).</li>
 * </ul>
 */
final class RacingRules {
    private static final long PAGE = GuestLayout.PAGE_SIZE;

    private final boolean transientRefusal;
    private final boolean mismatchExit;

    RacingRules(Edition edition) {
        // guest faults on guest_memfd pages need private memory; the reference check is REFUSE_EAGAIN's;
        // per-GPA attributes convert without looking at guest_memfd references
        this.transientRefusal = edition.referenceRule() == ReferenceRule.REFUSE_EAGAIN
                && edition.vmType() == VmType.SW_PROTECTED && edition.conversionCall() != ConversionCall.VM_ATTRIBUTES;
        // the fault's kind comes from the attributes only on a software-protected VM with private memory
        this.mismatchExit = edition.privateMemory() && edition.vmType() == VmType.SW_PROTECTED;
    }

    Expectation widen(World w, Operation op, List<Operation> inFlight, Expectation base) {
        if (inFlight.isEmpty()) return base;
        if (op instanceof Operation.HostRead r) return tornRead(w, r, inFlight, base);
        if (op instanceof Operation.GuestRead r) {
            Expectation e = tornGuestLoad(w, r, inFlight, base);
            return mismatchExit ? mismatchExit(w, r.gpa(), inFlight, e) : e;
        }
        if (mismatchExit && op instanceof Operation.GuestWrite wr) return mismatchExit(w, wr.gpa(), inFlight, base);
        if (!transientRefusal) return base;
        if (op instanceof Operation.Convert c && c.target() == PageState.PRIVATE && c.raw().isNone()) {
            return convert(w, c, inFlight, base);
        }
        if (op instanceof Operation.GuestRequestConversion r && r.target() == PageState.PRIVATE) {
            return guestRequest(w, r, inFlight, base);
        }
        return base;
    }

    private static Expectation tornRead(World w, Operation.HostRead r, List<Operation> inFlight, Expectation base) {
        if (!(base instanceof ExactExpectation exact) || !(exact.observation() instanceof Observation.Read)
                || r.length() > TornRead.MAX_BYTES) {
            return base;
        }
        List<InFlightWrite> writes = writesOver(w, r.gmem(), r.offset(), r.length(), inFlight, true);
        return writes.isEmpty() ? base : new TornRead(exact, r.offset(), writes);
    }

    private static Expectation tornGuestLoad(World w, Operation.GuestRead r, List<Operation> inFlight, Expectation base) {
        if (!(base instanceof ExactExpectation exact) || !(exact.observation() instanceof Observation.GuestValue)) return base;
        ModelState.BindingInfo slot = w.slotAt(r.gpa());
        if (slot == null) return base;
        long offset = slot.fileOffset(r.gpa());
        List<InFlightWrite> writes = writesOver(w, slot.gmem(), offset, Long.BYTES, inFlight, false);
        return writes.isEmpty() ? base : new TornRead(exact, offset, writes);
    }

    /** The writes in flight over bytes {@code [offset, offset + length)} of guest_memfd {@code gmem}: host writes, and guest stores if asked. */
    private static List<InFlightWrite> writesOver(World w, int gmem, long offset, long length, List<Operation> inFlight,
                                                  boolean guestStores) {
        List<InFlightWrite> writes = new ArrayList<>();
        for (Operation o : inFlight) {
            InFlightWrite write = null;
            if (o instanceof Operation.HostWrite wr && wr.gmem() == gmem) write = InFlightWrite.of(wr);
            if (guestStores && o instanceof Operation.GuestWrite gw) {
                ModelState.BindingInfo slot = w.slotAt(gw.gpa());
                if (slot != null && slot.gmem() == gmem) {
                    write = InFlightWrite.guestStore(slot.fileOffset(gw.gpa()), gw.value());
                }
            }
            if (write != null && write.overlaps(offset, length)) writes.add(write);
        }
        return writes;
    }

    private Expectation convert(World w, Operation.Convert c, List<Operation> inFlight, Expectation base) {
        GmemFile g = w.live(c.gmem());
        if (g == null || (c.offset() | c.size()) % PAGE != 0 || c.size() <= 0) return base;
        long limit = refusalLimit(base.example(), c.offset() + c.size());
        if (limit < 0) return base;
        List<Observation> extra = new ArrayList<>();
        for (long page : accessedPages(w, g.handle(), c.offset() / PAGE, limit / PAGE, inFlight)) {
            extra.add(new Observation.Refused(Errno.EAGAIN, page * PAGE));
        }
        return extra.isEmpty() ? base : new RacingAnswer(base, extra, w, "while a guest access to the page is in flight");
    }

    private Expectation guestRequest(World w, Operation.GuestRequestConversion r, List<Operation> inFlight,
                                     Expectation base) {
        if (!(base.example() instanceof Observation.HypercallExit exit)
                || (exit.hostResult() != 0 && exit.hostResult() != -Errno.EAGAIN.number())) {
            return base;
        }
        ModelState.BindingInfo slot = w.slotAt(r.gpa());
        if (slot == null || w.live(slot.gmem()) == null) return base;
        long offset = slot.fileOffset(r.gpa());
        if (accessedPages(w, slot.gmem(), offset / PAGE, (offset + r.size()) / PAGE, inFlight).isEmpty()) return base;
        Observation refused = new Observation.HypercallExit(exit.gpa(), exit.pages(), exit.attributes(),
                -Errno.EAGAIN.number());
        return refused.equals(exit) ? base : new RacingAnswer(base, List.of(refused), w, "while a guest access to the page is in flight");
    }

    private static Expectation mismatchExit(World w, long gpa, List<Operation> inFlight, Expectation base) {
        long page = gpa & -PAGE;
        PageState now = boundState(w, page);
        if (now != PageState.SHARED && now != PageState.PRIVATE) return base;
        PageState other = now == PageState.SHARED ? PageState.PRIVATE : PageState.SHARED;
        for (Operation o : inFlight) {
            if (converts(w, o, page, other)) {
                Observation fault = new Observation.MemoryFaultExit(page, PAGE, now == PageState.PRIVATE);
                return new RacingAnswer(base, List.of(fault), w, "while a conversion of the page is in flight");
            }
        }
        return base;
    }

    /** The state of the guest_memfd page a memslot maps at {@code gpa}, null when none is mapped there. */
    private static PageState boundState(World w, long gpa) {
        ModelState.BindingInfo slot = w.slotAt(gpa);
        if (slot == null) return null;
        GmemFile g = w.live(slot.gmem());
        if (g == null) return null;
        long offset = slot.fileOffset(gpa);
        if (Long.compareUnsigned(offset, g.size()) >= 0) return null;
        int state = w.perGpa() ? w.gpaStates.get(gpa >>> 12) : g.states().get(offset >>> 12);
        return PageState.values()[state];
    }

    /** Whether {@code o} converts the page at {@code gpa} to {@code target}. */
    private static boolean converts(World w, Operation o, long gpa, PageState target) {
        if (o instanceof Operation.GuestRequestConversion r) {
            return r.target() == target && Long.compareUnsigned(gpa - r.gpa(), r.size()) < 0;
        }
        if (!(o instanceof Operation.Convert c) || c.target() != target || !c.raw().isNone()) return false;
        if (w.perGpa()) return Long.compareUnsigned(gpa - GuestLayout.gpa(c.gmem(), c.offset()), c.size()) < 0;
        ModelState.BindingInfo slot = w.slotAt(gpa);
        return slot != null && slot.gmem() == c.gmem()
                && Long.compareUnsigned(slot.fileOffset(gpa) - c.offset(), c.size()) < 0;
    }

    /** The end (exclusive, bytes) of the pages a transient refusal may name, or -1 when none may. */
    private static long refusalLimit(Observation answer, long end) {
        if (answer instanceof Observation.Ok) return end;
        if (answer instanceof Observation.Refused r && r.errno() == Errno.EAGAIN) return r.errorOffset();
        return -1;
    }

    /** Pages in {@code [fromPage, toPage)} of guest_memfd {@code gmem} that an in-flight guest access touches. */
    private static TreeSet<Long> accessedPages(World w, int gmem, long fromPage, long toPage, List<Operation> inFlight) {
        TreeSet<Long> out = new TreeSet<>();
        for (Operation o : inFlight) {
            long gpa;
            if (o instanceof Operation.GuestRead r) gpa = r.gpa();
            else if (o instanceof Operation.GuestWrite wr) gpa = wr.gpa();
            else continue;
            ModelState.BindingInfo slot = w.slotAt(gpa);
            if (slot == null || slot.gmem() != gmem) continue;
            long page = slot.fileOffset(gpa) / PAGE;
            if (page >= fromPage && page < toPage) out.add(page);
        }
        return out;
    }
}
