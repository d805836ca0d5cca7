package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.FileSyscall;
import dev.gmem.api.MapKind;
import dev.gmem.api.PageState;
import dev.gmem.model.ModelState;
import dev.gmem.property.Choices;

import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/**
 * Generators of the domain: sizes, offsets, ranges and flags biased toward the edges (0, one
 * page, the last page, past the end, overflow, misalignment). The choice 0 is always the simple,
 * valid case, so shrinking moves toward it.
 */
public final class Gen {
    private Gen() {
    }

    /** The most pages a generated guest_memfd has; small files keep runs fast and collisions likely. */
    public static final int MAX_PAGES = 8;
    /** 2^64 - one page: as a u64 offset, the last page of the address space (overflows with any size). */
    public static final long TOP_PAGE = -PAGE_SIZE;
    /** 2^63: the smallest size KVM_CREATE_GUEST_MEMFD rejects as too large. */
    public static final long TWO_TO_63 = Long.MIN_VALUE;

    /** 1 to {@link #MAX_PAGES} pages, small first. */
    public static long pages(Choices c) {
        return 1 + c.draw(MAX_PAGES);
    }

    /** A byte in 1..255 (0 is what fresh pages read, so a write of 0 would prove nothing). */
    public static byte fill(Choices c) {
        return (byte) (1 + c.draw(255));
    }

    /** Flags giving a mappable file whose pages start SHARED (vm-attributes: no flags, shared buffer). */
    public static long sharedFlags(Edition e) {
        long flags = e.mmapFlag();
        if (e.initialState(flags) != PageState.SHARED) flags |= e.initialFlipFlag();
        return flags;
    }

    /** Flags giving a mappable file whose pages start PRIVATE, where the edition has such files. */
    public static long privateFlags(Edition e) {
        long flags = e.mmapFlag();
        if (e.initialState(flags) != PageState.PRIVATE) flags |= e.initialFlipFlag();
        return flags;
    }

    /** Create flags: valid combinations mostly, sometimes one bit the edition does not know. */
    public static long createFlags(Choices c, Edition e) {
        switch (c.drawInt(6)) {
            case 0: case 1: return sharedFlags(e);
            case 2: return privateFlags(e);
            case 3: return 0;
            case 4: return c.draw(e.supportedCreateFlags() + 1) & e.supportedCreateFlags();
            default: return unknownBit(c, e) | (c.draw(2) == 0 ? 0 : sharedFlags(e));
        }
    }

    /**
     * One flag bit the edition does not accept, never {@link Edition#FLAG_MMAP}: whether a VM without it in its
     * edition takes that bit depends on the kernel's generation, not on the edition (6.12 refuses it on a
     * software-protected VM, 7.3 reports it there in KVM_CAP_GUEST_MEMFD_FLAGS = 1 and accepts it).
     */
    public static long unknownBit(Choices c, Edition e) {
        long bit;
        int i = c.drawInt(64);
        do {
            bit = 1L << (i++ & 63);
        } while ((bit & (e.supportedCreateFlags() | Edition.FLAG_MMAP)) != 0);
        return bit;
    }

    /** A create size: valid mostly; 0, misaligned, 2^63 and beyond at the edges. */
    public static long createSize(Choices c) {
        switch (c.drawInt(10)) {
            case 6: return 0;
            case 7: return pages(c) * PAGE_SIZE + 1 + c.draw(PAGE_SIZE - 1);
            case 8: return TWO_TO_63 + c.draw(4) * PAGE_SIZE;
            case 9: return TOP_PAGE;
            default: return pages(c) * PAGE_SIZE;
        }
    }

    /** A valid range: page-aligned, nonzero, inside a file of {@code pages} pages. */
    public static Range validRange(Choices c, long pages) {
        long first = c.draw(pages);
        long count = 1 + c.draw(pages - first);
        return Range.pages(first, count);
    }

    /** A valid range inside {@code r}. */
    public static Range validSubRange(Choices c, Range r) {
        Range inner = validRange(c, r.pageCount());
        return new Range(r.offset() + inner.offset(), inner.size());
    }

    /** A range at an edge of a file of {@code pages} pages: valid ones and every kind of invalid one. */
    public static Range edgeRange(Choices c, long pages) {
        long size = pages * PAGE_SIZE;
        switch (c.drawInt(12)) {
            case 0: case 1: return validRange(c, pages);
            case 2: return new Range(0, size);
            case 3: return new Range(size - PAGE_SIZE, PAGE_SIZE);
            case 4: return new Range(size, PAGE_SIZE);
            case 5: return new Range(size - PAGE_SIZE, 2 * PAGE_SIZE);
            case 6: return new Range(c.draw(size) | 1, PAGE_SIZE);
            case 7: return new Range(c.draw(pages) * PAGE_SIZE, 1 + c.draw(PAGE_SIZE - 1));
            case 8: return new Range(TOP_PAGE, 2 * PAGE_SIZE);
            case 9: return new Range(c.draw(pages) * PAGE_SIZE, 0);
            case 10: return new Range(PAGE_SIZE, TOP_PAGE);
            default: return new Range(size + c.draw(4) * PAGE_SIZE, c.draw(3) * PAGE_SIZE);
        }
    }

    /** A host access: the two kinds. */
    public enum Access { READ, WRITE }

    /** A host touch of a page: an access or a pin (get_user_pages). */
    public enum Touch { READ, WRITE, PIN }

    /** Makes a range of a file of {@code pages} pages from choices: a generator as a value. */
    @FunctionalInterface
    public interface RangeGen {
        Range range(Choices c, long pages);
    }

    /** The two ways a range is misaligned. */
    public enum Misaligned implements RangeGen {
        OFFSET((c, pages) -> new Range(c.draw(pages * PAGE_SIZE) | 1, PAGE_SIZE)),
        SIZE((c, pages) -> new Range(c.draw(pages) * PAGE_SIZE, 1 + c.draw(PAGE_SIZE - 1)));

        private final RangeGen gen;

        Misaligned(RangeGen gen) {
            this.gen = gen;
        }

        @Override
        public Range range(Choices c, long pages) {
            return gen.range(c, pages);
        }
    }

    /** A misaligned range: offset or size not page-aligned (a named case, counted). */
    public static Range misalignedRange(Choices c, long pages) {
        return c.pick(Misaligned.class).range(c, pages);
    }

    /** The state a conversion asks for, counted as a named case. */
    public static PageState conversionTarget(Choices c) {
        PageState target = c.draw(2) == 0 ? PageState.PRIVATE : PageState.SHARED;
        c.noteCase(target);
        return target;
    }

    public static FileSyscall fileSyscall(Choices c) {
        return c.pick(List.of(FileSyscall.values()));
    }

    public static MapKind mapKind(Choices c) {
        return c.pick(List.of(MapKind.values()));
    }

    /** A live guest_memfd, or null when there is none. */
    public static ModelState.GmemInfo liveGmem(Choices c, ModelState s) {
        List<ModelState.GmemInfo> live = s.liveGmems();
        if (live.isEmpty()) return null;
        // by rank among the live files, 0 the newest: deleting a file that was closed before, or one
        // older than the file named, keeps the reference (a shrunk case drops an unrelated file's
        // create and close together); a rank past the oldest clamps onto the oldest
        return live.get(live.size() - 1 - c.drawInt(live.size()));
    }
}
