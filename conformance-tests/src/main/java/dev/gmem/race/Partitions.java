package dev.gmem.race;

import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.ModelState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/**
 * P-compositionality: a history splits into sub-histories that touch disjoint parts of the model's
 * state, each linearizable on its own exactly when the whole is (Herlihy and Wing's locality, as
 * Knossos and Porcupine use it). The parts are pages: a page of a guest_memfd, or a GPA page of
 * its canonical window. What couples pages beyond that puts their calls in one sub-history:
 * <ul>
 * <li>an operation's range: all its pages (a conversion's error_offset is the first referenced
 * page of the range, a fault the first faulting one);</li>
 * <li>successful pins: the session numbers them in order, one counter for all;</li>
 * <li>an unpin: the pages of the pin it names;</li>
 * <li>create, close, bind, unbind, VM close: everything (handles and memslots are global).</li>
 * </ul>
 * Stat, mmap, allocate and refused file calls answer from what the prefix fixed (size, flags), so
 * they touch no page. Ranges are clamped to the file: a page past the end answers the same in
 * every state.
 */
final class Partitions {
    private static final long PINS = -1;
    /** GPA pages outside the canonical windows. */
    private static final long OUTSIDE = 1L << 62;
    /** Enough for the small files a concurrent case uses; a larger range couples everything. */
    private static final int MAX_PAGES_PER_CALL = 4096;

    private Partitions() {
    }

    static List<List<Call>> of(ModelState start, List<Call> calls) {
        Map<Integer, long[]> pinPages = new HashMap<>();
        for (ModelState.PinInfo p : start.livePins()) pinPages.put(p.handle(), span(start, p.gmem(), p.offset(), p.length()));
        for (Call c : calls) {
            if (c.observation() instanceof Observation.Pinned p && c.operation() instanceof Operation.Pin op) {
                pinPages.put(p.pin(), span(start, op.gmem(), op.offset(), op.length()));
            }
        }
        int n = calls.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        Map<Long, Integer> owner = new HashMap<>();
        for (int i = 0; i < n; i++) {
            long[] keys = keys(start, calls.get(i), pinPages);
            if (keys == null) return List.of(calls);
            for (long k : keys) {
                Integer j = owner.putIfAbsent(k, i);
                if (j != null) union(parent, i, j);
            }
        }
        Map<Integer, List<Call>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) groups.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(calls.get(i));
        return new ArrayList<>(groups.values());
    }

    /** The parts of the state {@code c} reads or writes; null: all of it. */
    private static long[] keys(ModelState s, Call c, Map<Integer, long[]> pinPages) {
        Operation op = c.operation();
        if (op instanceof Operation.Convert v) return span(s, v.gmem(), v.offset(), v.size());
        if (op instanceof Operation.HostRead r) return span(s, r.gmem(), r.offset(), r.length());
        if (op instanceof Operation.HostWrite w) return span(s, w.gmem(), w.offset(), w.length());
        if (op instanceof Operation.PunchHole p) return span(s, p.gmem(), p.offset(), p.length());
        if (op instanceof Operation.Pin p) {
            long[] pages = span(s, p.gmem(), p.offset(), p.length());
            return c.observation() instanceof Observation.Pinned ? plus(pages, PINS) : pages;
        }
        if (op instanceof Operation.Unpin u) return pinPages.getOrDefault(u.pin(), new long[0]);
        if (op instanceof Operation.GuestRead r) return guestPages(s, r.gpa(), 1);
        if (op instanceof Operation.GuestWrite w) return guestPages(s, w.gpa(), 1);
        if (op instanceof Operation.GuestRequestConversion g) {
            long count = g.size() / PAGE_SIZE;
            if (count <= 0 || count > MAX_PAGES_PER_CALL) return null;
            return guestPages(s, g.gpa(), count);
        }
        if (op instanceof Operation.Stat || op instanceof Operation.Mmap || op instanceof Operation.Allocate
                || op instanceof Operation.FileCall) {
            return new long[0];
        }
        return null;
    }

    /** The pages of {@code [offset, offset + length)} inside guest_memfd {@code gmem}; null when too many. */
    private static long[] span(ModelState s, int gmem, long offset, long length) {
        ModelState.GmemInfo g = s.gmem(gmem).orElse(null);
        if (g == null || length == 0 || Long.compareUnsigned(offset, g.size()) >= 0) return new long[0];
        long first = offset / PAGE_SIZE;
        long end = Long.compareUnsigned(length, g.size() - offset) > 0 ? g.pages()
                : Math.min(g.pages(), (offset + length + PAGE_SIZE - 1) / PAGE_SIZE);
        if (end - first > MAX_PAGES_PER_CALL) return null;
        long[] out = new long[(int) (end - first)];
        for (int i = 0; i < out.length; i++) out[i] = key(gmem, first + i);
        return out;
    }

    /** The GPA pages from {@code gpa} and the guest_memfd pages their memslots map. */
    private static long[] guestPages(ModelState s, long gpa, long count) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long at = (gpa & -PAGE_SIZE) + i * PAGE_SIZE;
            out.add(window(at));
            for (ModelState.BindingInfo b : s.bindings()) {
                if (Long.compareUnsigned(at - b.gpa(), b.size()) < 0) out.add(key(b.gmem(), (b.offset() + at - b.gpa()) / PAGE_SIZE));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** A GPA page's part: its canonical guest_memfd page, or a part of its own outside the windows. */
    private static long window(long gpa) {
        if (Long.compareUnsigned(gpa, GuestLayout.BASE) >= 0 && Long.compareUnsigned(gpa, GuestLayout.end()) < 0) {
            long rel = gpa - GuestLayout.BASE;
            return key((int) (rel / GuestLayout.WINDOW), (rel % GuestLayout.WINDOW) / PAGE_SIZE);
        }
        return OUTSIDE | (gpa >>> 12);
    }

    private static long key(int gmem, long page) {
        return ((long) gmem << 40) | page;
    }

    private static long[] plus(long[] a, long k) {
        if (a == null) return null;
        long[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = k;
        return out;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }
}
