package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.ContentRule;
import dev.gmem.api.ConvertCheck;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.MapKind;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;

import java.util.List;
import java.util.Set;

import static dev.gmem.model.ModelEvent.*;

/**
 * The model's transition function for one edition: every decision below reads a knob of the
 * {@link Edition} (KERNEL-ABI.md §3-4, CONTRACT.md), never the edition's name.
 */
final class Transitions {
    private static final long PAGE = GuestLayout.PAGE_SIZE;
    private static final long PAGE_MASK = PAGE - 1;
    private static final int SHARED = PageState.SHARED.ordinal();
    private static final int PRIVATE = PageState.PRIVATE.ordinal();
    private static final int PENDING = PageState.PENDING_PRIVATE.ordinal();
    /** KVM_USER_MEM_SLOTS on x86: slot ids at or above it are EINVAL. */
    static final int MAX_USER_SLOTS = 32764;
    /**
     * Transient refusals (v13, {@link TransientRangeRefusal}) the model allows in a row: a retrying caller
     * converts within this many retries, and a target still refusing after them fails.
     */
    static final int MAX_TRANSIENT_REFUSALS = 3;

    private static final Observation OK = Observation.Ok.INSTANCE;
    private static final Observation.Failed[] FAILED = failures();

    private final Edition edition;
    private final boolean separateHostView;
    private final boolean privateMemory;
    private final List<ConvertCheck> checks;
    private final KernelFacts facts;

    Transitions(Edition edition, KernelFacts facts) {
        this.edition = edition;
        this.facts = facts;
        this.separateHostView = edition.hostViewIsSeparate();
        this.privateMemory = edition.privateMemory();
        this.checks = edition.convertChecks();
    }

    private static Observation.Failed[] failures() {
        Errno[] all = Errno.values();
        Observation.Failed[] out = new Observation.Failed[all.length];
        for (Errno e : all) out[e.ordinal()] = new Observation.Failed(e);
        return out;
    }

    static Observation.Failed failed(Errno errno) {
        return FAILED[errno.ordinal()];
    }

    private static Expectation exact(Observation o, World next, ModelEvent event) {
        return new ExactExpectation(o, next, Events.of(event));
    }

    private static Expectation fail(World w, Errno errno, ModelEvent event) {
        return new ExactExpectation(FAILED[errno.ordinal()], w, Events.of(event));
    }

    private static Expectation unsupported(World w, String reason) {
        return new ExactExpectation(new Observation.Unsupported(reason), w, Events.of(UNSUPPORTED));
    }

    Expectation expect(World w, Operation op) {
        switch (op.kind()) {
            case CREATE: return create(w, (Operation.Create) op);
            case CLOSE: return close(w, (Operation.Close) op);
            case CLOSE_VM: return closeVm(w, (Operation.CloseVm) op);
            case CONVERT: return convert(w, (Operation.Convert) op);
            case MMAP: return mmap(w, (Operation.Mmap) op);
            case HOST_READ: return hostRead(w, (Operation.HostRead) op);
            case HOST_WRITE: return hostWrite(w, (Operation.HostWrite) op);
            case PIN: return pin(w, (Operation.Pin) op);
            case UNPIN: return unpin(w, (Operation.Unpin) op);
            case PUNCH_HOLE: return punch(w, (Operation.PunchHole) op);
            case ALLOCATE: return allocate(w, (Operation.Allocate) op);
            case FILE_CALL: return fileCall(w, (Operation.FileCall) op);
            case STAT: return stat(w, (Operation.Stat) op);
            case GUEST_READ: return guestAccess(w, ((Operation.GuestRead) op).gpa(), false, 0);
            case GUEST_WRITE: {
                Operation.GuestWrite g = (Operation.GuestWrite) op;
                return guestAccess(w, g.gpa(), true, g.value());
            }
            case GUEST_REQUEST_CONVERSION: return guestRequest(w, (Operation.GuestRequestConversion) op);
            case BIND: return bind(w, (Operation.Bind) op);
            case UNBIND: return unbind(w, (Operation.Unbind) op);
            case MADVISE: return onMapping(w, ((Operation.Madvise) op).gmem(), MAPPING_ADVISED);
            case MLOCK: return mlock(w, (Operation.Mlock) op);
            case MUNLOCK: return onMapping(w, ((Operation.Munlock) op).gmem(), MAPPING_ADVISED);
            case INSPECT_MAPPING: return inspectMapping(w, (Operation.InspectMapping) op);
            case KERNEL_HEALTH: return exact(Observation.KernelHealth.CLEAN, w, KERNEL_HEALTH);
            case CLOSE_WHILE_UNBINDING: return closeWhileUnbinding(w, (Operation.CloseWhileUnbinding) op);
            case MBIND: return mbind(w, (Operation.Mbind) op);
            case GET_MEMPOLICY: return getMempolicy(w, (Operation.GetMempolicy) op);
            case PAGE_NODES: return pageNodes(w, (Operation.PageNodes) op);
            case NUMA_NODES: return new UnpredictedObservation(o -> o instanceof Observation.NumaNodes n && n.mask() != 0,
                    new Observation.NumaNodes(1), "NumaNodes with at least one node", w, Events.of(NUMA_READ));
            default: throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    // ---- life ----

    private Expectation create(World w, Operation.Create c) {
        if (!w.isVmOpen(c.vm())) return fail(w, Errno.EBADF, CREATE_REJECTED);
        long size = c.size();
        // size is a u64: a negative long is >= 2^63
        if (size <= 0 || (size & PAGE_MASK) != 0) return fail(w, Errno.EINVAL, CREATE_REJECTED);
        long flags = c.flags();
        if ((flags & ~edition.supportedCreateFlags()) != 0) return fail(w, Errno.EINVAL, CREATE_REJECTED);
        boolean hasMmap = (flags & edition.mmapFlag()) != 0;
        if ((flags & edition.flagsNeedingMmap()) != 0 && !hasMmap) return fail(w, Errno.EINVAL, CREATE_REJECTED);
        int handle = w.gmems.length;
        // a memslot that is not gmem-only serves shared guest accesses from userspace_addr
        boolean userspaceBuffer = separateHostView || (privateMemory && !edition.gmemOnlySlots(flags));
        GmemFile g = GmemFile.create(handle, c.vm(), size, flags, edition.mmapFlag() != 0 && hasMmap,
                edition.initialState(flags), userspaceBuffer);
        return exact(new Observation.Created(handle), w.withNewGmem(g), CREATED);
    }

    private Expectation close(World w, Operation.Close c) {
        GmemFile g = w.live(c.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        return exact(OK, w.with(g.closed()), CLOSED);
    }

    private Expectation closeVm(World w, Operation.CloseVm c) {
        if (!w.isVmOpen(c.vm())) return fail(w, Errno.EBADF, BAD_HANDLE);
        return exact(OK, w.withVmClosed(c.vm()), VM_CLOSED);
    }

    // ---- conversion ----

    /**
     * What a conversion call answered, the world after it, and what it did; {@code refusedTransiently}
     * is the world after a transient refusal where the edition allows one here, else null.
     */
    private record Outcome(Observation observation, World world, Set<ModelEvent> events, World refusedTransiently) {
        Outcome(Observation observation, World world, Set<ModelEvent> events) {
            this(observation, world, events, null);
        }
    }

    private Expectation convert(World w, Operation.Convert c) {
        if (!edition.converts()) return unsupported(w, edition.name() + " has no conversion call");
        if (w.perGpa() && !w.isVmOpen(0)) return fail(w, Errno.EBADF, BAD_HANDLE);
        GmemFile g = w.live(c.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        long start = w.perGpa() ? GuestLayout.gpa(c.gmem(), c.offset()) : c.offset();
        Outcome o = convertRange(w, g, start, c.size(), c.target(), c.raw());
        ExactExpectation exact = new ExactExpectation(o.observation, o.world, o.events);
        if (o.refusedTransiently == null) return exact;
        return new TransientRangeRefusal(exact, start, c.size(), null, o.refusedTransiently);
    }

    /**
     * The conversion call on {@code [start, start + size)}: a GPA range in per-GPA editions (where
     * {@code g} may be null), a range of {@code g} otherwise. Validations in the edition's order.
     */
    private Outcome convertRange(World w, GmemFile g, long start, long size, PageState target,
                                 Operation.Convert.Raw raw) {
        for (int i = 0, n = checks.size(); i < n; i++) {
            boolean bad;
            switch (checks.get(i)) {
                case INPUT_ERROR_OFFSET: bad = raw.inputErrorOffset() != 0; break;
                case SIZE_ZERO_IS_NOOP:
                    if (size == 0) return new Outcome(OK, w, Events.of(CONVERT_NOOP));
                    bad = false;
                    break;
                case SIZE_ZERO_INVALID: bad = size == 0; break;
                case FLAGS: bad = raw.flags() != 0; break;
                case RESERVED: bad = raw.reserved() != 0; break;
                case VM_HAS_PRIVATE_MEMORY: bad = !privateMemory; break;
                case ATTRIBUTES: bad = raw.extraAttributes() != 0; break;
                case OVERFLOW: bad = Long.compareUnsigned(start + size, start) < 0; break;
                case ALIGNMENT: bad = ((start | size) & PAGE_MASK) != 0; break;
                case INSIDE_FILE:
                    bad = g != null && (Long.compareUnsigned(start, g.size()) >= 0
                            || Long.compareUnsigned(size, g.size() - start) > 0);
                    break;
                default: throw new IllegalStateException("unknown check " + checks.get(i));
            }
            if (bad) return new Outcome(FAILED[Errno.EINVAL.ordinal()], w, Events.of(CONVERT_REJECTED));
        }
        // PENDING_PRIVATE is a state a page enters, not one a caller can ask for
        if (target == PageState.PENDING_PRIVATE) {
            return new Outcome(FAILED[Errno.EINVAL.ordinal()], w, Events.of(CONVERT_REJECTED));
        }
        return w.perGpa() ? convertGpa(w, start, size, target) : convertInPlace(w, g, start, size, target);
    }

    /** Attributes per GPA page: they stay with the GPA whatever memslot maps it. */
    private static Outcome convertGpa(World w, long gpa, long size, PageState target) {
        long from = gpa >>> 12;
        long to = ceilPage(gpa + size);
        return new Outcome(OK, w.withGpaStates(w.gpaStates.set(from, to, target.ordinal())), Events.of(CONVERTED));
    }

    private Outcome convertInPlace(World w, GmemFile g, long offset, long size, PageState target) {
        // the edition's checks keep the range inside the file; clamp so that an edition without
        // INSIDE_FILE cannot reach past the page map
        long from = Math.min(offset >>> 12, g.pages());
        long to = Math.max(from, Math.min(ceilPage(offset + size), g.pages()));
        Runs before = g.states();
        Runs after;
        Set<ModelEvent> events = Events.of(CONVERTED);
        if (target == PageState.PRIVATE) {
            switch (edition.referenceRule()) {
                case REFUSE_EAGAIN: {
                    long page = w.firstReferenced(g, from, to);
                    if (page >= 0) {
                        return new Outcome(new Observation.Refused(Errno.EAGAIN, page * PAGE), w,
                                Events.of(CONVERT_REFUSED_REFERENCED));
                    }
                    after = before.set(from, to, PRIVATE);
                    // 856852ef2108: a range already private returns early, before any page is looked at
                    if (edition.transientRefusals() && after != before
                            && w.transientRefusals < MAX_TRANSIENT_REFUSALS) {
                        Outcome ok = converted(w, g, before, after, from, to, target, events);
                        return new Outcome(ok.observation, ok.world, ok.events,
                                w.withTransientRefusals(w.transientRefusals + 1));
                    }
                    break;
                }
                case PENDING: {
                    after = before.set(from, to, PRIVATE);
                    for (HeldPin p : w.pins) {
                        if (p.gmem() != g.handle()) continue;
                        long lo = Math.max(from, p.firstPage());
                        long hi = Math.min(to, p.endPage());
                        Runs births = g.births();
                        if (lo >= hi) continue;
                        for (int i = births.runAt(lo); i < births.count() && births.start(i) < hi; i++) {
                            if (births.value(i) > p.clock()) continue;
                            after = after.set(Math.max(lo, births.start(i)), Math.min(hi, births.endOf(i)), PENDING);
                            events = Events.of(CONVERTED, PENDING_ENTERED);
                        }
                    }
                    break;
                }
                case NO_CHECK:
                    after = before.set(from, to, PRIVATE);
                    break;
                default: throw new IllegalStateException("unknown reference rule " + edition.referenceRule());
            }
        } else {
            after = before.set(from, to, SHARED);
        }
        return converted(w, g, before, after, from, to, target, events);
    }

    /** The pages {@code [from, to)} of {@code g} went from {@code before} to {@code after}. */
    private Outcome converted(World w, GmemFile g, Runs before, Runs after, long from, long to, PageState target,
                              Set<ModelEvent> events) {
        PagedBytes content = g.content();
        if (edition.contentRule() == ContentRule.UNSPECIFIED) {
            int t = target.ordinal();
            for (int i = before.runAt(from); i < before.count() && before.start(i) < to; i++) {
                if (before.value(i) == t) continue;
                long lo = Math.max(from, before.start(i));
                long hi = Math.min(to, before.endOf(i));
                content = content.set(lo * PAGE, hi * PAGE, GmemFile.UNKNOWN);
            }
        }
        World done = w.withTransientRefusals(0);
        if (after == before && content == g.content()) return new Outcome(OK, done, events);
        return new Outcome(OK, done.with(g.withStatesAndContent(after, content)), events);
    }

    /** One past the last page touched by a range ending (exclusive) at byte {@code end}, as u64. */
    private static long ceilPage(long end) {
        return (end >>> 12) + ((end & PAGE_MASK) != 0 ? 1 : 0);
    }

    // ---- host ----

    private Expectation mmap(World w, Operation.Mmap m) {
        GmemFile g = w.live(m.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        // a guest_memfd without an mmap method (before 6.18) is ENODEV whatever the protection (6.12 probe)
        if (edition.mmapFlag() == 0) return fail(w, Errno.ENODEV, MMAP_REJECTED);
        // do_mmap refuses PROT_EXEC before guest_memfd's mmap runs (6.18 probe)
        if (m.mapKind() == MapKind.EXEC) return fail(w, Errno.EPERM, MMAP_REJECTED);
        if (!g.mappable()) return fail(w, Errno.ENODEV, MMAP_REJECTED);
        if (m.mapKind() == MapKind.PRIVATE_COW) return fail(w, Errno.EINVAL, MMAP_REJECTED);
        return exact(OK, w, MMAP_OK);
    }

    /**
     * The first page of {@code [offset, offset + length)} the host cannot touch, or -1: a page past
     * the end of the file, or (where the host view is guest_memfd itself) a page not SHARED.
     */
    private long firstFaultingPage(GmemFile g, long offset, long length) {
        long pages = g.pages();
        long firstPage = offset >>> 12;
        if (Long.compareUnsigned(firstPage, pages) >= 0) return firstPage;
        long end = offset + length;
        boolean pastEnd = Long.compareUnsigned(end, offset) < 0 || Long.compareUnsigned(ceilPage(end), pages) > 0;
        if (!separateHostView) {
            long p = g.states().firstOther(firstPage, pastEnd ? pages : ceilPage(end), SHARED);
            if (p >= 0) return p;
        }
        return pastEnd ? pages : -1;
    }

    private static Observation.HostFault hostFault(long offset, long page) {
        long at = page * PAGE;
        return new Observation.HostFault(Long.compareUnsigned(at, offset) > 0 ? at : offset);
    }

    private Expectation hostRead(World w, Operation.HostRead r) {
        if (r.view() != 0 && r.view() != 1) return unsupported(w, "host views are 0 and 1");
        GmemFile g = w.live(r.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        if (!separateHostView && !g.mappable()) return fail(w, Errno.ENODEV, HOST_ACCESS_REJECTED);
        if (r.length() == 0) return exact(new Observation.Read(Bytes.EMPTY), w, HOST_ACCESS_OK);
        long fault = firstFaultingPage(g, r.offset(), r.length());
        if (fault >= 0) return new ExactExpectation(hostFault(r.offset(), fault), w, Events.of(HOST_FAULT));
        PagedBytes view = separateHostView ? g.shared() : g.content();
        long end = r.offset() + r.length();
        if (view.first(r.offset(), end, GmemFile.UNKNOWN) >= 0) {
            return new UnknownBytesRead(view, r.offset(), r.length(),
                    learned -> w.with(separateHostView ? g.withShared(learned) : g.withContent(learned)),
                    Events.of(HOST_ACCESS_OK));
        }
        return exact(new Observation.Read(view.bytes(r.offset(), end)), w, HOST_ACCESS_OK);
    }

    private Expectation hostWrite(World w, Operation.HostWrite hw) {
        if (hw.view() != 0 && hw.view() != 1) return unsupported(w, "host views are 0 and 1");
        GmemFile g = w.live(hw.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        if (!separateHostView && !g.mappable()) return fail(w, Errno.ENODEV, HOST_ACCESS_REJECTED);
        if (hw.length() == 0) return exact(OK, w, HOST_ACCESS_OK);
        long fault = firstFaultingPage(g, hw.offset(), hw.length());
        if (fault >= 0) return new ExactExpectation(hostFault(hw.offset(), fault), w, Events.of(HOST_FAULT));
        long end = hw.offset() + hw.length();
        int fill = hw.fill() & 0xff;
        GmemFile after = separateHostView
                ? g.withShared(g.shared().set(hw.offset(), end, fill))
                : g.withContent(g.content().set(hw.offset(), end, fill));
        return exact(OK, w.with(after), HOST_ACCESS_OK);
    }

    private Expectation pin(World w, Operation.Pin p) {
        GmemFile g = w.live(p.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        if (!separateHostView && !g.mappable()) return fail(w, Errno.ENODEV, HOST_ACCESS_REJECTED);
        if (p.length() == 0) return fail(w, Errno.EINVAL, HOST_ACCESS_REJECTED);
        long fault = firstFaultingPage(g, p.offset(), p.length());
        if (fault >= 0) return new ExactExpectation(hostFault(p.offset(), fault), w, Events.of(HOST_FAULT));
        HeldPin held = new HeldPin(w.nextPin, g.handle(), p.offset(), p.length(), w.clock);
        return exact(new Observation.Pinned(w.nextPin), w.withNewPin(held), PINNED);
    }

    private Expectation unpin(World w, Operation.Unpin u) {
        HeldPin p = w.pin(u.pin());
        if (p == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        World without = w.withoutPin(p, null);
        GmemFile g = w.gmems[p.gmem()];
        Runs states = g.states();
        Runs resolved = states;
        long hi = Math.min(p.endPage(), g.pages());
        for (int i = states.runAt(p.firstPage()); i < states.count() && states.start(i) < hi; i++) {
            if (states.value(i) != PENDING) continue;
            long end = Math.min(hi, states.endOf(i));
            for (long page = Math.max(p.firstPage(), states.start(i)); page < end; page++) {
                if (without.referenceCount(g, page) == 0) resolved = resolved.set(page, page + 1, PRIVATE);
            }
        }
        if (resolved == states) return exact(OK, without, UNPINNED);
        return new ExactExpectation(OK, w.withoutPin(p, g.withStates(resolved)), Events.of(UNPINNED, PENDING_RESOLVED));
    }

    // ---- file ----

    private Expectation punch(World w, Operation.PunchHole p) {
        GmemFile g = w.live(p.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        long offset = p.offset();
        long end = offset + p.length();
        // vfs_fallocate takes loff_t: negative offset or length <= 0 → EINVAL, an overflowing end → EFBIG,
        // both before guest_memfd's own alignment check
        if (offset < 0 || p.length() <= 0) return fail(w, Errno.EINVAL, FALLOCATE_REJECTED);
        if (end < 0) return fail(w, Errno.EFBIG, FALLOCATE_REJECTED);
        if (((offset | p.length()) & PAGE_MASK) != 0) return fail(w, Errno.EINVAL, FALLOCATE_REJECTED);
        if (end > g.size() && !edition.punchPastEndSucceeds()) return fail(w, Errno.EINVAL, FALLOCATE_REJECTED);
        long hi = Math.min(end, g.size());
        if (offset >= hi) return exact(OK, w, PUNCHED);
        int clock = w.clock + 1;
        GmemFile after = g.withContentAndBirths(g.content().set(offset, hi, 0),
                g.births().set(offset >>> 12, hi >>> 12, clock));
        return exact(OK, w.withPunched(after, clock), PUNCHED);
    }

    private Expectation allocate(World w, Operation.Allocate a) {
        GmemFile g = w.live(a.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        long offset = a.offset();
        long end = offset + a.length();
        // vfs_fallocate checks offset < 0 || len <= 0 before the file's fallocate sees the mode
        if (offset < 0 || a.length() <= 0) return fail(w, Errno.EINVAL, FALLOCATE_REJECTED);
        if (!a.keepSize()) return fail(w, Errno.EOPNOTSUPP, FALLOCATE_REJECTED);
        if (end < 0) return fail(w, Errno.EFBIG, FALLOCATE_REJECTED);
        if (((offset | a.length()) & PAGE_MASK) != 0) return fail(w, Errno.EINVAL, FALLOCATE_REJECTED);
        if (end > g.size()) return fail(w, Errno.EINVAL, FALLOCATE_REJECTED);
        return exact(OK, w, ALLOCATED);
    }

    private Expectation fileCall(World w, Operation.FileCall f) {
        GmemFile g = w.live(f.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        switch (f.call()) {
            case READ: case WRITE: case FTRUNCATE: return fail(w, Errno.EINVAL, FILE_CALL_REJECTED);
            case PREAD: case PWRITE: case LSEEK: return fail(w, Errno.ESPIPE, FILE_CALL_REJECTED);
            default: throw new IllegalArgumentException("unknown file call " + f.call());
        }
    }

    private Expectation stat(World w, Operation.Stat s) {
        GmemFile g = w.live(s.gmem());
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        return exact(new Observation.FileSize(g.size()), w, STAT_OK);
    }

    // ---- guest ----

    private Expectation guestAccess(World w, long gpa, boolean write, long value) {
        if ((gpa & (Long.BYTES - 1)) != 0) return unsupported(w, "guest accesses are 8-byte aligned");
        if (!w.isVmOpen(0)) return fail(w, Errno.EBADF, BAD_HANDLE);
        ModelState.BindingInfo slot = w.slotAt(gpa);
        long pageGpa = gpa & -PAGE;
        if (w.perGpa()) {
            boolean isPrivate = w.gpaStates.get(gpa >>> 12) != SHARED;
            if (slot == null) {
                ExactExpectation mmio = new ExactExpectation(new Observation.MmioExit(gpa, write),
                        w.withMmioCached(pageGpa >>> 12), Events.of(MMIO_EXIT));
                if (!isPrivate) return mmio;
                ExactExpectation fault = new ExactExpectation(new Observation.MemoryFaultExit(pageGpa, PAGE, true), w,
                        Events.of(MEMORY_FAULT_EXIT));
                // a GPA that answered MMIO since the last memslot change may still be served from its
                // cached MMIO SPTE after it became private (found by the suite on the 6.12 reference kernel)
                return w.mmioCachedAt(pageGpa >>> 12) ? new EitherExpectation(fault, mmio) : fault;
            }
            // a private GPA is served from guest_memfd, a shared one from userspace_addr
            GmemFile g = w.gmems[slot.gmem()];
            if (Long.compareUnsigned(slot.fileOffset(gpa), g.size()) >= 0) {
                return new UndefinedGuestAccess(gpa, write, w, Events.of(GUEST_ACCESS_UNDEFINED));
            }
            if (isPrivate && !g.live()) return releasedGuestMemfd(w, pageGpa, true);
            return access(w, g, slot.fileOffset(gpa), write, value, !isPrivate);
        }
        if (slot == null) return exact(new Observation.MmioExit(gpa, write), w, MMIO_EXIT);
        GmemFile g = w.gmems[slot.gmem()];
        long offset = slot.fileOffset(gpa);
        // a binding past the end of the file (a huge guest_memfd_offset that a kernel accepted)
        if (Long.compareUnsigned(offset, g.size()) >= 0) {
            return new UndefinedGuestAccess(gpa, write, w, Events.of(GUEST_ACCESS_UNDEFINED));
        }
        int state = g.states().get(offset >>> 12);
        if (privateMemory && !g.live()) return releasedGuestMemfd(w, pageGpa, state != SHARED);
        if (privateMemory) {
            // a software-protected guest accesses a page as the kind its state says: only a page
            // still waiting for its references to drop cannot be faulted in
            if (state == PENDING) {
                return exact(new Observation.MemoryFaultExit(pageGpa, PAGE, true), w, MEMORY_FAULT_EXIT);
            }
            // a memslot that is not gmem-only serves shared accesses from userspace_addr
            return access(w, g, offset, write, value, state == SHARED && g.shared() != null);
        }
        if (state == SHARED && g.mappable()) return access(w, g, offset, write, value, false);
        return new UndefinedGuestAccess(gpa, write, w, Events.of(GUEST_ACCESS_UNDEFINED));
    }

    /**
     * Closing the last reference to a guest_memfd unbinds it from its memslots (6.12
     * virt/kvm/guest_memfd.c kvm_gmem_release: slot->gmem.file = NULL), so a page it served
     * faults: KVM_EXIT_MEMORY_FAULT of the access kind (found by the suite on the 6.12 reference kernel).
     */
    private static Expectation releasedGuestMemfd(World w, long pageGpa, boolean privateAccess) {
        return exact(new Observation.MemoryFaultExit(pageGpa, PAGE, privateAccess), w, MEMORY_FAULT_EXIT);
    }

    private static Expectation access(World w, GmemFile g, long offset, boolean write, long value,
                                      boolean sharedBuffer) {
        PagedBytes view = sharedBuffer ? g.shared() : g.content();
        if (write) {
            PagedBytes after = view.setLong(offset, value);
            return exact(OK, w.with(sharedBuffer ? g.withShared(after) : g.withContent(after)), GUEST_ACCESS_OK);
        }
        long[] knownAndMask = new long[2];
        view.forEach(offset, offset + Long.BYTES, (lo, hi, v) -> {
            if (v == GmemFile.UNKNOWN) return true;
            for (long pos = lo; pos < hi; pos++) {
                int shift = (int) (pos - offset) * 8;
                knownAndMask[0] |= (long) v << shift;
                knownAndMask[1] |= 0xffL << shift;
            }
            return true;
        });
        long known = knownAndMask[0];
        long mask = knownAndMask[1];
        if (mask == -1L) return exact(new Observation.GuestValue(known), w, GUEST_ACCESS_OK);
        return new UnknownGuestValue(known, mask, learned -> {
            PagedBytes after = view.setLong(offset, learned);
            return w.with(sharedBuffer ? g.withShared(after) : g.withContent(after));
        },
                Events.of(GUEST_ACCESS_OK));
    }

    private Expectation guestRequest(World w, Operation.GuestRequestConversion r) {
        if (!edition.guestRequestsConversion()) {
            return unsupported(w, edition.name() + " has no guest-requested conversion");
        }
        if (!w.isVmOpen(0)) return fail(w, Errno.EBADF, BAD_HANDLE);
        long gpa = r.gpa();
        long size = r.size();
        // KVM answers the guest itself, without exiting
        if (((gpa | size) & PAGE_MASK) != 0 || size == 0 || r.target() == PageState.PENDING_PRIVATE) {
            return fail(w, Errno.EINVAL, GUEST_REQUEST_REJECTED);
        }
        Outcome o;
        if (w.perGpa()) {
            o = convertRange(w, null, gpa, size, r.target(), Operation.Convert.Raw.NONE);
        } else {
            ModelState.BindingInfo slot = w.slotAt(gpa);
            if (slot == null || Long.compareUnsigned(size, slot.size() - (gpa - slot.gpa())) > 0) {
                o = new Outcome(FAILED[Errno.EINVAL.ordinal()], w, Events.of(CONVERT_REJECTED));
            } else {
                GmemFile g = w.live(slot.gmem());
                o = g == null
                        ? new Outcome(FAILED[Errno.EBADF.ordinal()], w, Events.of(BAD_HANDLE))
                        : convertRange(w, g, slot.fileOffset(gpa), size, r.target(),
                                Operation.Convert.Raw.NONE);
            }
        }
        long hostResult;
        if (o.observation instanceof Observation.Failed f) {
            hostResult = -f.errno().number();
        } else if (o.observation instanceof Observation.Refused f) {
            hostResult = -f.errno().number();
        } else {
            hostResult = 0;
        }
        long attributes = r.target() == PageState.PRIVATE ? MemoryAttributes.PRIVATE : 0;
        Observation exit = new Observation.HypercallExit(gpa, size >>> 12, attributes, hostResult);
        ExactExpectation exact = new ExactExpectation(exit, o.world, Events.plus(o.events, HYPERCALL_EXIT));
        if (o.refusedTransiently == null) return exact;
        return new TransientRangeRefusal(exact, gpa, size,
                new Observation.HypercallExit(gpa, size >>> 12, attributes, -Errno.EAGAIN.number()), o.refusedTransiently);
    }

    // ---- memslots ----

    private Expectation bind(World w, Operation.Bind b) {
        if (!w.isVmOpen(0)) return fail(w, Errno.EBADF, BAD_HANDLE);
        long offset = b.offset();
        long size = b.size();
        long gpa = b.gpa();
        if (((size | gpa | offset) & PAGE_MASK) != 0
                || Long.compareUnsigned(offset + size, offset) < 0 || Long.compareUnsigned(gpa + size, gpa) < 0
                || Integer.compareUnsigned(b.slot(), MAX_USER_SLOTS) >= 0) {
            return fail(w, Errno.EINVAL, BIND_REJECTED);
        }
        // __kvm_set_memory_region: memory_size 0 deletes the slot, EINVAL when there is none
        if (size == 0) return unbind(w, new Operation.Unbind(b.slot()));
        // an existing guest_memfd slot can only be deleted
        if (w.slot(b.slot()) != null) return fail(w, Errno.EINVAL, BIND_REJECTED);
        for (ModelState.BindingInfo s : w.slots) {
            if (overlaps(gpa, size, s.gpa(), s.size())) return fail(w, Errno.EEXIST, BIND_REJECTED);
        }
        GmemFile g = w.live(b.gmem());
        if (g == null) return fail(w, Errno.EBADF, BIND_REJECTED);
        if (g.vm() != 0) return fail(w, Errno.EINVAL, BIND_REJECTED);
        if (Long.compareUnsigned(offset + size, g.size()) > 0) {
            // below 2^63 with an end at or above it: a signed comparison (before 7.2) lets it through
            boolean signedWindow = offset >= 0 && offset + size < 0;
            KernelFacts.Answer huge = facts.hugeBindOffset();
            if (!signedWindow || huge == KernelFacts.Answer.REJECTED) return fail(w, Errno.EINVAL, BIND_REJECTED);
            Expectation bound = bindInFile(w, b);
            return huge == KernelFacts.Answer.ACCEPTED ? bound
                    : new EitherExpectation(fail(w, Errno.EINVAL, BIND_REJECTED), bound);
        }
        return bindInFile(w, b);
    }

    /** A bind whose range passed the file checks: an overlap with another binding of the file, else bound. */
    private Expectation bindInFile(World w, Operation.Bind b) {
        for (ModelState.BindingInfo s : w.slots) {
            if (s.gmem() == b.gmem() && overlaps(b.offset(), b.size(), s.offset(), s.size())) return overlapRefusal(w);
        }
        return exact(OK, w.withSlot(new ModelState.BindingInfo(b.slot(), b.gmem(), b.offset(), b.size(), b.gpa())), BOUND);
    }

    /** The errnos the kernel's generation gives an overlapping binding of one guest_memfd (EINVAL to 7.1, EEXIST from 7.2). */
    private Expectation overlapRefusal(World w) {
        Expectation out = null;
        for (Errno e : Errno.values()) {
            if (!facts.allowsOverlapErrno(e)) continue;
            Expectation one = fail(w, e, BIND_REJECTED);
            out = out == null ? one : new EitherExpectation(out, one);
        }
        return out;
    }

    private static boolean overlaps(long a, long aSize, long b, long bSize) {
        return Long.compareUnsigned(a, b + bSize) < 0 && Long.compareUnsigned(b, a + aSize) < 0;
    }

    private Expectation unbind(World w, Operation.Unbind u) {
        if (!w.isVmOpen(0)) return fail(w, Errno.EBADF, BAD_HANDLE);
        ModelState.BindingInfo s = w.slot(u.slot());
        if (s == null) return fail(w, Errno.EINVAL, BIND_REJECTED);
        return exact(OK, w.withoutSlot(s), UNBOUND);
    }

    // ---- regression probes and NUMA policy, on the host's mapping of the guest_memfd ----

    /**
     * The refusal of an operation on guest_memfd {@code gmem}'s mapping, or null when it has one: these probe
     * guest_memfd's own mapping, which a separate host view (anonymous memory) is not.
     */
    private Expectation noMapping(World w, int gmem) {
        GmemFile g = w.live(gmem);
        if (g == null) return fail(w, Errno.EBADF, BAD_HANDLE);
        if (separateHostView || !g.mappable()) return fail(w, Errno.ENODEV, HOST_ACCESS_REJECTED);
        return null;
    }

    private Expectation onMapping(World w, int gmem, ModelEvent event) {
        Expectation refusal = noMapping(w, gmem);
        return refusal != null ? refusal : exact(OK, w, event);
    }

    /** mlock populates every page: one the host cannot touch is a SIGBUS in GUP, which mlock answers ENOMEM. */
    private Expectation mlock(World w, Operation.Mlock m) {
        Expectation refusal = noMapping(w, m.gmem());
        if (refusal != null) return refusal;
        GmemFile g = w.live(m.gmem());
        if (firstFaultingPage(g, 0, g.size()) >= 0) return fail(w, Errno.ENOMEM, MAPPING_LOCK_FAILED);
        return exact(OK, w, MAPPING_ADVISED);
    }

    /** guest_memfd is 4 KiB only (UPSTREAM.md §3 "Huge pages"): no advice gives its mapping a huge page. */
    private Expectation inspectMapping(World w, Operation.InspectMapping i) {
        Expectation refusal = noMapping(w, i.gmem());
        return refusal != null ? refusal : exact(Observation.MappingPages.SMALL, w, MAPPING_INSPECTED);
    }

    private Expectation closeWhileUnbinding(World w, Operation.CloseWhileUnbinding c) {
        GmemFile g = w.live(c.gmem());
        ModelState.BindingInfo s = w.isVmOpen(0) ? w.slot(c.slot()) : null;
        if (g == null || s == null || s.gmem() != c.gmem()) return fail(w, Errno.EINVAL, BIND_REJECTED);
        World unbound = w.withoutSlot(s);
        return new ExactExpectation(OK, unbound.with(unbound.live(c.gmem()).closed()), Events.of(UNBOUND, CLOSED));
    }

    private Expectation mbind(World w, Operation.Mbind m) {
        if (m.view() != 0 && m.view() != 1) return unsupported(w, "host views are 0 and 1");
        Expectation refusal = noMapping(w, m.gmem());
        if (refusal != null) return refusal;
        if (!m.policy().wellFormed()) return fail(w, Errno.EINVAL, HOST_ACCESS_REJECTED);
        KernelFacts.PolicyScope scope = facts.mempolicy();
        if (scope == KernelFacts.PolicyScope.NONE) return fail(w, Errno.EINVAL, HOST_ACCESS_REJECTED);
        GmemFile g = w.live(m.gmem());
        Expectation set = exact(OK, w.with(g.withPolicies(g.policies().set(m.view(), m.policy()))), MEMPOLICY_SET);
        return scope == KernelFacts.PolicyScope.EITHER
                ? new EitherExpectation(set, fail(w, Errno.EINVAL, HOST_ACCESS_REJECTED)) : set;
    }

    /** The policy through one view: the file's from 6.19, the view's own before (KernelFacts.mempolicy). */
    private Expectation getMempolicy(World w, Operation.GetMempolicy q) {
        if (q.view() != 0 && q.view() != 1) return unsupported(w, "host views are 0 and 1");
        Expectation refusal = noMapping(w, q.gmem());
        if (refusal != null) return refusal;
        GmemFile g = w.live(q.gmem());
        if (q.offset() < 0 || q.offset() >= g.size()) return fail(w, Errno.EINVAL, HOST_ACCESS_REJECTED);
        MemPolicies p = g.policies();
        KernelFacts.PolicyScope scope = facts.mempolicy();
        Observation file = new Observation.Policy(p.read(q.view(), KernelFacts.PolicyScope.FILE));
        Observation mapping = new Observation.Policy(p.read(q.view(), KernelFacts.PolicyScope.MAPPING));
        if (scope == KernelFacts.PolicyScope.FILE || file.equals(mapping)) return exact(file, w, MEMPOLICY_READ);
        if (scope == KernelFacts.PolicyScope.MAPPING) return exact(mapping, w, MEMPOLICY_READ);
        return new EitherExpectation(exact(file, w, MEMPOLICY_READ), exact(mapping, w, MEMPOLICY_READ));
    }

    /** One node or negative errno per page: which node is the kernel's choice (NUMA-2 states interleave's). */
    private Expectation pageNodes(World w, Operation.PageNodes q) {
        Expectation refusal = noMapping(w, q.gmem());
        if (refusal != null) return refusal;
        GmemFile g = w.live(q.gmem());
        long end = q.offset() + q.length();
        if (q.offset() < 0 || q.length() <= 0 || (q.offset() & PAGE_MASK) != 0 || (q.length() & PAGE_MASK) != 0
                || end > g.size() || end < 0) {
            return fail(w, Errno.EINVAL, HOST_ACCESS_REJECTED);
        }
        int pages = (int) (q.length() / PAGE);
        return new UnpredictedObservation(o -> o instanceof Observation.PageNodes n && n.nodes().size() == pages,
                new Observation.PageNodes(java.util.Collections.nCopies(pages, 0)),
                "PageNodes of " + pages + " pages, each a node or a negative errno", w, Events.of(NUMA_READ));
    }
}
