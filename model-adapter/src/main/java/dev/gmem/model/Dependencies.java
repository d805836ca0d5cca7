package dev.gmem.model;

import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which earlier steps of a sequence one step depends on, as the model sees them: each step reads
 * and writes resources — a VM, a guest_memfd's life, each page's state, data and pin references,
 * a pin, a memslot, a GPA page's attributes and the MMIO it answered without a memslot, the
 * memslot generation — resolved in the state before it (which slot holds a GPA, which pages a pin
 * holds). Walking back from the step, an earlier step belongs to the slice when it writes a
 * resource the slice reads; it then adds what it reads, and a resource it overwrites whole (a
 * page's attributes, the generation) is no longer needed from further back. A step that failed
 * (an errno, a fault) changed nothing. Every step that made a handle stays, so that the handles
 * later steps name keep their numbers. The slice over-approximates; the shrinker checks it by running it.
 */
public final class Dependencies {
    private static final long PAGE = GuestLayout.PAGE_SIZE;
    /** Ranges are followed page by page up to this many pages; a wider one counts its first pages only. */
    private static final long MAX_PAGES = 4096;

    private static final long VM = 1L << 59;
    private static final long FILE = 2L << 59;
    private static final long PAGE_STATE = 3L << 59;
    private static final long PAGE_DATA = 4L << 59;
    private static final long PAGE_REFS = 5L << 59;
    private static final long PIN = 6L << 59;
    private static final long SLOT = 7L << 59;
    private static final long GPA_ATTRIBUTES = 8L << 59;
    private static final long GPA_MMIO = 9L << 59;
    private static final long SLOT_GENERATION = 10L << 59;

    private Dependencies() {
    }

    /**
     * The steps {@code step} depends on, itself included, in order.
     *
     * @param before the model's state before each step
     * @param ops    the operations, one per step
     * @param seen   what the target answered, one per step
     */
    public static int[] slice(List<ModelState> before, List<Operation> ops, List<Observation> seen, int step) {
        Set<Long> needed = new HashSet<>();
        Touch last = touch(before.get(step), ops.get(step), seen.get(step));
        needed.addAll(last.reads);
        List<Integer> out = new ArrayList<>();
        out.add(step);
        for (int i = step - 1; i >= 0; i--) {
            Touch t = touch(before.get(i), ops.get(i), seen.get(i));
            // handles are numbered in the order they are made: keeping every step that made one keeps
            // the numbers the later steps name (the shrinker's later passes delete those not needed)
            boolean needs = seen.get(i) instanceof Observation.Created || seen.get(i) instanceof Observation.Pinned;
            for (Long w : t.writes) {
                if (needed.contains(w)) {
                    needs = true;
                    break;
                }
            }
            if (!needs) continue;
            out.add(i);
            needed.removeAll(t.overwrites);
            needed.addAll(t.reads);
        }
        int[] slice = new int[out.size()];
        for (int i = 0; i < slice.length; i++) slice[i] = out.get(slice.length - 1 - i);
        return slice;
    }

    /** What one step reads, what it may write, and what of that it overwrites whole. */
    private static final class Touch {
        final Set<Long> reads = new HashSet<>();
        final Set<Long> writes = new HashSet<>();
        final Set<Long> overwrites = new HashSet<>();

        void readWrite(long key) {
            reads.add(key);
            writes.add(key);
        }

        void overwrite(long key) {
            writes.add(key);
            overwrites.add(key);
        }
    }

    private static boolean failed(Observation o) {
        return o instanceof Observation.Failed || o instanceof Observation.Refused || o instanceof Observation.HostFault
                || o instanceof Observation.Unsupported;
    }

    private static Touch touch(ModelState s, Operation op, Observation seen) {
        Touch t = new Touch();
        touch(t, s, op, seen);
        if (failed(seen)) {
            t.writes.clear();
            t.overwrites.clear();
        }
        return t;
    }

    private static void touch(Touch t, ModelState s, Operation op, Observation seen) {
        if (op instanceof Operation.Create c) {
            t.reads.add(VM | c.vm());
            if (seen instanceof Observation.Created created) t.writes.add(file(created.gmem()));
        } else if (op instanceof Operation.Close c) {
            t.readWrite(file(c.gmem()));
        } else if (op instanceof Operation.CloseVm c) {
            t.readWrite(VM | c.vm());
        } else if (op instanceof Operation.Convert c) {
            t.reads.add(file(c.gmem()));
            t.reads.add(VM);
            pages(t, s, c.gmem(), c.offset(), c.size(), PAGE_REFS, false);
            pages(t, s, c.gmem(), c.offset(), c.size(), PAGE_STATE, true);
            // content an edition does not keep across a conversion is unknown after it
            pages(t, s, c.gmem(), c.offset(), c.size(), PAGE_DATA, true);
            gpaPages(t, GuestLayout.gpa(c.gmem(), c.offset()), c.size());
        } else if (op instanceof Operation.HostRead r) {
            t.reads.add(file(r.gmem()));
            pages(t, s, r.gmem(), r.offset(), r.length(), PAGE_STATE, false);
            pages(t, s, r.gmem(), r.offset(), r.length(), PAGE_DATA, false);
        } else if (op instanceof Operation.HostWrite w) {
            t.reads.add(file(w.gmem()));
            pages(t, s, w.gmem(), w.offset(), w.length(), PAGE_STATE, false);
            pages(t, s, w.gmem(), w.offset(), w.length(), PAGE_DATA, true);
        } else if (op instanceof Operation.Pin p) {
            t.reads.add(file(p.gmem()));
            pages(t, s, p.gmem(), p.offset(), p.length(), PAGE_STATE, false);
            pages(t, s, p.gmem(), p.offset(), p.length(), PAGE_REFS, true);
            if (seen instanceof Observation.Pinned pinned) t.writes.add(PIN | pinned.pin());
        } else if (op instanceof Operation.Unpin u) {
            t.readWrite(PIN | u.pin());
            for (ModelState.PinInfo p : s.livePins()) {
                if (p.handle() != u.pin()) continue;
                pages(t, s, p.gmem(), p.offset(), p.length(), PAGE_REFS, true);
                pages(t, s, p.gmem(), p.offset(), p.length(), PAGE_STATE, true);
            }
        } else if (op instanceof Operation.PunchHole p) {
            t.reads.add(file(p.gmem()));
            pages(t, s, p.gmem(), p.offset(), p.length(), PAGE_DATA, true);
            pages(t, s, p.gmem(), p.offset(), p.length(), PAGE_REFS, true);
        } else if (op instanceof Operation.Allocate a) {
            t.reads.add(file(a.gmem()));
        } else if (op instanceof Operation.FileCall f) {
            t.reads.add(file(f.gmem()));
        } else if (op instanceof Operation.Stat st) {
            t.reads.add(file(st.gmem()));
        } else if (op instanceof Operation.Mmap m) {
            t.reads.add(file(m.gmem()));
        } else if (op instanceof Operation.GuestRead r) {
            guestAccess(t, s, r.gpa(), false, seen);
        } else if (op instanceof Operation.GuestWrite w) {
            guestAccess(t, s, w.gpa(), true, seen);
        } else if (op instanceof Operation.GuestRequestConversion r) {
            t.reads.add(VM);
            gpaPages(t, r.gpa(), r.size());
            ModelState.BindingInfo b = slotAt(s, r.gpa());
            if (b != null) {
                t.reads.add(SLOT | b.slot());
                t.reads.add(file(b.gmem()));
                long offset = b.fileOffset(r.gpa());
                pages(t, s, b.gmem(), offset, r.size(), PAGE_REFS, false);
                pages(t, s, b.gmem(), offset, r.size(), PAGE_STATE, true);
                pages(t, s, b.gmem(), offset, r.size(), PAGE_DATA, true);
            }
        } else if (op instanceof Operation.Bind b) {
            t.reads.add(VM);
            t.reads.add(file(b.gmem()));
            t.readWrite(SLOT | b.slot());
            for (ModelState.BindingInfo other : s.bindings()) t.reads.add(SLOT | other.slot());
            if (seen instanceof Observation.Ok) t.overwrite(SLOT_GENERATION);
        } else if (op instanceof Operation.Unbind u) {
            t.reads.add(VM);
            t.readWrite(SLOT | u.slot());
            if (seen instanceof Observation.Ok) t.overwrite(SLOT_GENERATION);
        }
    }

    /**
     * A guest access reads its GPA page's attributes, the MMIO its GPA answered and the memslot
     * generation (KVM serves a cached MMIO answer until the generation changes), and through the
     * memslot holding it the file's page; answering MMIO writes it.
     */
    private static void guestAccess(Touch t, ModelState s, long gpa, boolean write, Observation seen) {
        t.reads.add(VM);
        long page = (gpa & -PAGE) >>> 12;
        t.reads.add(GPA_ATTRIBUTES | page);
        // KVM's MMIO SPTE for a GPA outlives the memslot changes that make it stale (the 6.12 erratum)
        t.reads.add(GPA_MMIO | page);
        t.reads.add(SLOT_GENERATION);
        if (seen instanceof Observation.MmioExit) t.overwrite(GPA_MMIO | page);
        ModelState.BindingInfo b = slotAt(s, gpa);
        if (b == null) return;
        t.reads.add(SLOT | b.slot());
        t.reads.add(file(b.gmem()));
        long offset = b.fileOffset(gpa & -PAGE);
        pages(t, s, b.gmem(), offset, PAGE, PAGE_STATE, false);
        pages(t, s, b.gmem(), offset, PAGE, PAGE_DATA, write);
    }

    private static ModelState.BindingInfo slotAt(ModelState s, long gpa) {
        for (ModelState.BindingInfo b : s.bindings()) {
            if (Long.compareUnsigned(gpa, b.gpa()) >= 0 && Long.compareUnsigned(gpa - b.gpa(), b.size()) < 0) return b;
        }
        return null;
    }

    private static long file(int gmem) {
        return FILE | (gmem & 0xffff_ffffL);
    }

    /** One kind of resource of each page of {@code gmem} a byte range covers, inside the file (past the end: its last page). */
    private static void pages(Touch t, ModelState s, int gmem, long offset, long length, long kind, boolean writes) {
        long pages = s.gmem(gmem).map(ModelState.GmemInfo::pages).orElse(0L);
        if (pages == 0) return;
        long first = Long.compareUnsigned(offset >>> 12, pages) >= 0 ? pages - 1 : offset >>> 12;
        long end = offset + Math.max(length, 1);
        long last = Long.compareUnsigned(end, offset) < 0 || Long.compareUnsigned((end - 1) >>> 12, pages) >= 0
                ? pages - 1 : (end - 1) >>> 12;
        for (long p = first; p <= last && p - first < MAX_PAGES; p++) {
            long key = kind | ((gmem & 0xffffL) << 40) | (p & ((1L << 40) - 1));
            if (writes) t.readWrite(key);
            else t.reads.add(key);
        }
    }

    /** A conversion of a GPA range sets each page's attributes whole. */
    private static void gpaPages(Touch t, long gpa, long size) {
        long first = gpa >>> 12;
        long count = Math.min(MAX_PAGES, Math.max(1, (size + PAGE - 1) >>> 12));
        for (long p = first; p < first + count && p >= first; p++) t.overwrite(GPA_ATTRIBUTES | (p & ((1L << 52) - 1)));
    }
}
