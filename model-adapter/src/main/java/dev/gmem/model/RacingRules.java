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
 * before or after the conversion, which linearizability already allows; nothing to add.</li>
 * <li><b>A host read racing a host write of the same bytes may be torn</b>: both are copies of
 * plain memory (process_vm_readv / process_vm_writev, memcpy underneath), which no edition makes
 * atomic, so each byte read holds the old value or the racing write's ({@link TornRead}). Every
 * edition; writes racing writes are left out of concurrent cases (their result has no model).</li>
 * </ul>
 */
final class RacingRules {
    private static final long PAGE = GuestLayout.PAGE_SIZE;

    private final boolean transientRefusal;

    RacingRules(Edition edition) {
        // guest faults on guest_memfd pages need private memory; the reference check is REFUSE_EAGAIN's;
        // per-GPA attributes convert without looking at guest_memfd references
        this.transientRefusal = edition.referenceRule() == ReferenceRule.REFUSE_EAGAIN
                && edition.vmType() == VmType.SW_PROTECTED && edition.conversionCall() != ConversionCall.VM_ATTRIBUTES;
    }

    Expectation widen(World w, Operation op, List<Operation> inFlight, Expectation base) {
        if (inFlight.isEmpty()) return base;
        if (op instanceof Operation.HostRead r) return tornRead(r, inFlight, base);
        if (!transientRefusal) return base;
        if (op instanceof Operation.Convert c && c.target() == PageState.PRIVATE && c.raw().isNone()) {
            return convert(w, c, inFlight, base);
        }
        if (op instanceof Operation.GuestRequestConversion r && r.target() == PageState.PRIVATE) {
            return guestRequest(w, r, inFlight, base);
        }
        return base;
    }

    private static Expectation tornRead(Operation.HostRead r, List<Operation> inFlight, Expectation base) {
        if (!(base instanceof ExactExpectation exact) || !(exact.observation() instanceof Observation.Read)
                || r.length() > TornRead.MAX_BYTES) {
            return base;
        }
        List<Operation.HostWrite> writes = new ArrayList<>();
        for (Operation o : inFlight) {
            if (o instanceof Operation.HostWrite wr && wr.gmem() == r.gmem() && wr.offset() < r.offset() + r.length()
                    && r.offset() < wr.offset() + wr.length()) {
                writes.add(wr);
            }
        }
        return writes.isEmpty() ? base : new TornRead(exact, r, writes);
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
        return extra.isEmpty() ? base : new TransientRefusal(base, extra, w);
    }

    private Expectation guestRequest(World w, Operation.GuestRequestConversion r, List<Operation> inFlight,
                                     Expectation base) {
        if (!(base.example() instanceof Observation.HypercallExit exit)
                || (exit.hostResult() != 0 && exit.hostResult() != -Errno.EAGAIN.number())) {
            return base;
        }
        ModelState.BindingInfo slot = w.slotAt(r.gpa());
        if (slot == null || w.live(slot.gmem()) == null) return base;
        long offset = slot.offset() + (r.gpa() - slot.gpa());
        if (accessedPages(w, slot.gmem(), offset / PAGE, (offset + r.size()) / PAGE, inFlight).isEmpty()) return base;
        Observation refused = new Observation.HypercallExit(exit.gpa(), exit.pages(), exit.attributes(),
                -Errno.EAGAIN.number());
        return refused.equals(exit) ? base : new TransientRefusal(base, List.of(refused), w);
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
            long page = (slot.offset() + (gpa - slot.gpa())) / PAGE;
            if (page >= fromPage && page < toPage) out.add(page);
        }
        return out;
    }
}
