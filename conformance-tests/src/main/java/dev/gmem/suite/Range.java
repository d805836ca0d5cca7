package dev.gmem.suite;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/** A byte range {@code [offset, offset + size)} of a guest_memfd, as an operation names it (u64 values). */
public record Range(long offset, long size) {

    public static Range pages(long firstPage, long count) {
        return new Range(firstPage * PAGE_SIZE, count * PAGE_SIZE);
    }

    /** Page-aligned, nonzero, no overflow, inside a file of {@code fileSize} bytes. */
    public boolean validIn(long fileSize) {
        return size != 0 && offset % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 && offset >= 0 && size > 0
                && offset + size > 0 && Long.compareUnsigned(offset + size, fileSize) <= 0;
    }

    public boolean containsPage(long page) {
        long at = page * PAGE_SIZE;
        return Long.compareUnsigned(at, offset) >= 0 && Long.compareUnsigned(at, offset + size) < 0;
    }

    public long firstPage() {
        return offset / PAGE_SIZE;
    }

    public long pageCount() {
        return size / PAGE_SIZE;
    }
}
