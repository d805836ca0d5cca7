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
 * and writes resources — a VM, a guest_memfd (its life), its pages, a pin, a memslot, a GPA page
 * (attributes, the MMIO a slot-less GPA answered), the memslot generation — resolved in the state
 * before it (which slot holds a GPA, which pages a pin holds). Walking back from the step, an
 * earlier step belongs to the slice when it writes a resource the slice reads; it then adds what
 * it reads. The slice over-approximates (an operation counts as writing what it may change); the
 * shrinker checks it by running it.
 */
public final class Dependencies {
    private static final long PAGE = GuestLayout.PAGE_SIZE;
    /** Ranges are followed page by page up to this many pages; a wider one counts its first pages only. */
    private static final long MAX_PAGES = 4096;

    private static final long VM = 1L << 60;
    private static final long FILE = 2L << 60;
    private static final long FILE_PAGE = 3L << 60;
    private static final long PIN = 4L << 60;
    private static final long SLOT = 5L << 60;
    private static final long GPA_PAGE = 6L << 60;
    private static final long SLOT_GENERATION = 7L << 60;

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
        needed.addAll(last.writes);
        List<Integer> out = new ArrayList<>();
        out.add(step);
        for (int i = step - 1; i >= 0; i--) {
            Touch t = touch(before.get(i), ops.get(i), seen.get(i));
            boolean needs = false;
            for (Long w : t.writes) {
                if (needed.contains(w)) {
                    needs = true;
                    break;
                }
            }
            if (!needs) continue;
            out.add(i);
            needed.addAll(t.reads);
        }
        int[] slice = new int[out.size()];
        for (int i = 0; i < slice.length; i++) slice[i] = out.get(slice.length - 1 - i);
        return slice;
    }

    /** What one step reads and what it may write. */
    private static final class Touch {
        final Set<Long> reads = new HashSet<>();
        final Set<Long> writes = new HashSet<>();

        void readWrite(long key) {
            reads.add(key);
            writes.add(key);
        }
    }

    private static Touch touch(ModelState s, Operation op, Observation seen) {
        Touch t = new Touch();
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
            pagesOf(t, s, c.gmem(), c.offset(), c.size(), true);
            gpaPages(t, GuestLayout.gpa(c.gmem(), c.offset()), c.size(), true);
        } else if (op instanceof Operation.HostRead r) {
            t.reads.add(file(r.gmem()));
            pagesOf(t, s, r.gmem(), r.offset(), r.length(), false);
        } else if (op instanceof Operation.HostWrite w) {
            t.reads.add(file(w.gmem()));
            pagesOf(t, s, w.gmem(), w.offset(), w.length(), true);
        } else if (op instanceof Operation.Pin p) {
            t.reads.add(file(p.gmem()));
            pagesOf(t, s, p.gmem(), p.offset(), p.length(), true);
            if (seen instanceof Observation.Pinned pinned) t.writes.add(PIN | pinned.pin());
        } else if (op instanceof Operation.Unpin u) {
            t.readWrite(PIN | u.pin());
            for (ModelState.PinInfo p : s.livePins()) {
                if (p.handle() == u.pin()) pagesOf(t, s, p.gmem(), p.offset(), p.length(), true);
            }
        } else if (op instanceof Operation.PunchHole p) {
            t.reads.add(file(p.gmem()));
            pagesOf(t, s, p.gmem(), p.offset(), p.length(), true);
        } else if (op instanceof Operation.Allocate a) {
            t.reads.add(file(a.gmem()));
            pagesOf(t, s, a.gmem(), a.offset(), a.length(), false);
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
            gpaPages(t, r.gpa(), r.size(), true);
            ModelState.BindingInfo b = slotAt(s, r.gpa());
            if (b != null) {
                t.reads.add(SLOT | b.slot());
                t.reads.add(file(b.gmem()));
                pagesOf(t, s, b.gmem(), b.offset() + (r.gpa() - b.gpa()), r.size(), true);
            }
        } else if (op instanceof Operation.Bind b) {
            t.reads.add(VM);
            t.reads.add(file(b.gmem()));
            t.readWrite(SLOT | b.slot());
            gpaPages(t, b.gpa(), b.size(), true);
            // binding a file's range depends on its other bindings (overlap) and the pages served
            pagesOf(t, s, b.gmem(), b.offset(), b.size(), false);
            if (seen instanceof Observation.Ok) t.writes.add(SLOT_GENERATION);
        } else if (op instanceof Operation.Unbind u) {
            t.reads.add(VM);
            t.readWrite(SLOT | u.slot());
            for (ModelState.BindingInfo b : s.bindings()) {
                if (b.slot() == u.slot()) gpaPages(t, b.gpa(), b.size(), true);
            }
            if (seen instanceof Observation.Ok) t.writes.add(SLOT_GENERATION);
        }
        return t;
    }

    /**
     * A guest access reads its GPA page and, through the memslot holding it, the file's page; a
     * slot-less one reads the memslot generation (KVM's cached MMIO answer lives until it changes)
     * and, answering MMIO, writes its GPA page (the cache).
     */
    private static void guestAccess(Touch t, ModelState s, long gpa, boolean write, Observation seen) {
        t.reads.add(VM);
        long page = gpa & -PAGE;
        t.reads.add(GPA_PAGE | (page >>> 12));
        if (seen instanceof Observation.MmioExit) t.writes.add(GPA_PAGE | (page >>> 12));
        ModelState.BindingInfo b = slotAt(s, gpa);
        if (b == null) {
            t.reads.add(SLOT_GENERATION);
            return;
        }
        t.reads.add(SLOT | b.slot());
        t.reads.add(file(b.gmem()));
        pagesOf(t, s, b.gmem(), b.offset() + (page - b.gpa()), PAGE, write);
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

    /** The pages of {@code gmem} a byte range covers, inside the file (a range past the end reads its last page). */
    private static void pagesOf(Touch t, ModelState s, int gmem, long offset, long length, boolean writes) {
        long pages = s.gmem(gmem).map(ModelState.GmemInfo::pages).orElse(0L);
        if (pages == 0) return;
        long first = Long.compareUnsigned(offset >>> 12, pages) >= 0 ? pages - 1 : offset >>> 12;
        long end = offset + Math.max(length, 1);
        long last = Long.compareUnsigned(end, offset) < 0 || Long.compareUnsigned((end - 1) >>> 12, pages) >= 0
                ? pages - 1 : (end - 1) >>> 12;
        for (long p = first; p <= last && p - first < MAX_PAGES; p++) {
            long key = FILE_PAGE | ((gmem & 0xffffL) << 40) | (p & ((1L << 40) - 1));
            if (writes) t.readWrite(key);
            else t.reads.add(key);
        }
    }

    private static void gpaPages(Touch t, long gpa, long size, boolean writes) {
        long first = gpa >>> 12;
        long count = Math.min(MAX_PAGES, Math.max(1, (size + PAGE - 1) >>> 12));
        for (long p = first; p < first + count && p >= first; p++) {
            long key = GPA_PAGE | (p & ((1L << 52) - 1));
            if (writes) t.readWrite(key);
            else t.reads.add(key);
        }
    }
}
