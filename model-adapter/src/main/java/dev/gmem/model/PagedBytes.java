package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.GuestLayout;

/**
 * Immutable byte contents of a file or buffer, kept in two levels: a run-length map of pages
 * whose value is the byte every byte of the page holds (0..255, or {@link GmemFile#UNKNOWN}), or
 * {@link #DETAILED} for a page with several values, whose own runs live in a {@link PageTrie}.
 * A range write touches its two edge pages and one run of the page map; an 8-byte write one page.
 */
final class PagedBytes {
    private static final long PAGE = GuestLayout.PAGE_SIZE;
    private static final int SHIFT = 12;
    private static final long IN_PAGE = PAGE - 1;
    /** A page holding more than one value: see the trie. */
    private static final int DETAILED = -2;

    /** Receives the segments of a range in order; answers false to stop. */
    interface Segments {
        boolean segment(long start, long end, int value);
    }

    private final Runs pages;
    private final PageTrie details;

    private PagedBytes(Runs pages, PageTrie details) {
        this.pages = pages;
        this.details = details;
    }

    static PagedBytes zeros(long size) {
        long count = (size + IN_PAGE) >>> SHIFT;
        return new PagedBytes(Runs.uniform(count, 0), PageTrie.empty(count));
    }

    int get(long pos) {
        long page = pos >>> SHIFT;
        int kind = pages.get(page);
        return kind == DETAILED ? details.get(page).get(pos & IN_PAGE) : kind;
    }

    PagedBytes set(long from, long to, int value) {
        if (from >= to) return this;
        long firstPage = from >>> SHIFT;
        long lastPage = (to - 1) >>> SHIFT;
        if (firstPage == lastPage) return setInPage(firstPage, from & IN_PAGE, ((to - 1) & IN_PAGE) + 1, value);
        PagedBytes out = this;
        long fullFrom = firstPage;
        long fullTo = lastPage + 1;
        if ((from & IN_PAGE) != 0) {
            out = out.setInPage(firstPage, from & IN_PAGE, PAGE, value);
            fullFrom++;
        }
        if ((to & IN_PAGE) != 0) {
            out = out.setInPage(lastPage, 0, to & IN_PAGE, value);
            fullTo--;
        }
        if (fullFrom < fullTo) out = new PagedBytes(out.pages.set(fullFrom, fullTo, value), out.details);
        return out;
    }

    PagedBytes set(long from, Bytes bytes) {
        PagedBytes out = this;
        long pos = from;
        for (Bytes.Run r : bytes.runs()) {
            out = out.set(pos, pos + r.length(), r.value() & 0xff);
            pos += r.length();
        }
        return out;
    }

    /** The 8 little-endian bytes of {@code value} at {@code pos}. */
    PagedBytes setLong(long pos, long value) {
        long lo = pos & IN_PAGE;
        if (lo + Long.BYTES > PAGE) {
            PagedBytes out = this;
            for (int b = 0; b < Long.BYTES; b++) out = out.set(pos + b, pos + b + 1, (int) (value >>> (8 * b)) & 0xff);
            return out;
        }
        long page = pos >>> SHIFT;
        return withPage(page, pageRuns(page).setLong(lo, value));
    }

    private Runs pageRuns(long page) {
        int kind = pages.get(page);
        return kind == DETAILED ? details.get(page) : Runs.uniform(PAGE, kind);
    }

    private PagedBytes setInPage(long page, long lo, long hi, int value) {
        if (lo == 0 && hi == PAGE) return new PagedBytes(pages.set(page, page + 1, value), details);
        int kind = pages.get(page);
        if (kind == value) return this;
        return withPage(page, pageRuns(page).set(lo, hi, value));
    }

    private PagedBytes withPage(long page, Runs runs) {
        if (runs.count() == 1) return new PagedBytes(pages.set(page, page + 1, runs.value(0)), details);
        return new PagedBytes(pages.set(page, page + 1, DETAILED), details.put(page, runs));
    }

    /** Visits {@code [from, to)} as segments of one value (neighbours may hold the same value). */
    void forEach(long from, long to, Segments out) {
        if (from >= to) return;
        long lastPage = (to - 1) >>> SHIFT;
        for (int i = pages.runAt(from >>> SHIFT); i < pages.count() && pages.start(i) <= lastPage; i++) {
            long lo = Math.max(from, pages.start(i) << SHIFT);
            long hi = Math.min(to, pages.endOf(i) << SHIFT);
            int kind = pages.value(i);
            if (kind != DETAILED) {
                if (!out.segment(lo, hi, kind)) return;
                continue;
            }
            for (long page = lo >>> SHIFT; (page << SHIFT) < hi; page++) {
                long base = page << SHIFT;
                long pLo = Math.max(lo, base) - base;
                long pHi = Math.min(hi, base + PAGE) - base;
                Runs r = details.get(page);
                for (int j = r.runAt(pLo); j < r.count() && r.start(j) < pHi; j++) {
                    if (!out.segment(base + Math.max(pLo, r.start(j)), base + Math.min(pHi, r.endOf(j)), r.value(j))) {
                        return;
                    }
                }
            }
        }
    }

    /** The first position in {@code [from, to)} holding {@code value}, or -1. */
    long first(long from, long to, int value) {
        long[] found = {-1};
        forEach(from, to, (s, e, v) -> {
            if (v != value) return true;
            found[0] = s;
            return false;
        });
        return found[0];
    }

    Bytes bytes(long from, long to) {
        Bytes.Builder b = new Bytes.Builder();
        forEach(from, to, (s, e, v) -> {
            b.append(e - s, (byte) v);
            return true;
        });
        return b.build();
    }

    /**
     * Same bytes in the same representation: the trie keeps runs of pages that are no longer
     * detailed, so only detailed pages' runs are compared. Content equal in another representation
     * compares unequal, which only costs a memoisation hit, never a wrong answer.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof PagedBytes b) || !pages.equals(b.pages)) return false;
        for (int i = 0; i < pages.count(); i++) {
            if (pages.value(i) != DETAILED) continue;
            for (long page = pages.start(i); page < pages.endOf(i); page++) {
                if (!details.get(page).equals(b.details.get(page))) return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = pages.hashCode();
        for (int i = 0; i < pages.count(); i++) {
            if (pages.value(i) != DETAILED) continue;
            for (long page = pages.start(i); page < pages.endOf(i); page++) h = h * 31 + details.get(page).hashCode();
        }
        return h;
    }
}
