package dev.gmem.kernel;

import com.sun.jna.Pointer;

/**
 * An address range this process mapped, released with munmap when its last user lets go (a
 * memslot may still use a view after its guest_memfd was closed). The adapter never reads or
 * writes through it from Java.
 */
final class Mapping {
    private final long address;
    private final long length;
    private int users = 1;

    private Mapping(long address, long length) {
        this.address = address;
        this.length = length;
    }

    long address() {
        return address;
    }

    long length() {
        return length;
    }

    synchronized Mapping retain() {
        if (users <= 0) throw new IllegalStateException("mapping already released");
        users++;
        return this;
    }

    synchronized void release() {
        if (users <= 0) return;
        if (--users == 0) LibC.munmap(new Pointer(address), length);
    }

    /**
     * Reserves {@code size} bytes plus a PROT_NONE guard page, then maps {@code fd} over the first
     * {@code size} bytes with MAP_SHARED; fd -1 maps anonymous shared memory instead. Returns null
     * with errno kept when the file mmap fails.
     */
    static Mapping sharedWithGuard(int fd, long size) {
        long total = size + Kvm.PAGE_SIZE;
        Pointer base = reserve(total, size >= HUGE_PAGE ? HUGE_PAGE : Kvm.PAGE_SIZE);
        int flags = LibC.MAP_SHARED | LibC.MAP_FIXED | (fd < 0 ? LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE : 0);
        Pointer p = LibC.mmap(base, size, LibC.PROT_READ | LibC.PROT_WRITE, flags, fd, 0);
        if (Pointer.nativeValue(p) == LibC.MAP_FAILED) {
            int errno = LibC.errno();
            LibC.munmap(base, total);
            throw new SysError("mmap", errno);
        }
        return new Mapping(Pointer.nativeValue(base), total);
    }

    /** A PMD's worth (x86_64): a file of at least this size is mapped at a multiple of it, so a huge page could map it. */
    static final long HUGE_PAGE = 2L << 20;

    /** A PROT_NONE reservation of {@code total} bytes starting at a multiple of {@code alignment}. */
    private static Pointer reserve(long total, long alignment) {
        long slack = alignment - Kvm.PAGE_SIZE;
        Pointer p = LibC.mmap(null, total + slack, LibC.PROT_NONE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
        long at = Pointer.nativeValue(p);
        if (at == LibC.MAP_FAILED) throw new SysError("mmap(reserve)", LibC.errno());
        if (slack == 0) return p;
        long aligned = (at + alignment - 1) & -alignment;
        if (aligned > at) LibC.munmap(p, aligned - at);
        long tail = at + total + slack - (aligned + total);
        if (tail > 0) LibC.munmap(new Pointer(aligned + total), tail);
        return new Pointer(aligned);
    }

    /** Anonymous private read-write memory (zero pages), for memslots that need some userspace_addr. */
    static Mapping anonymous(long size) {
        Pointer p = LibC.mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
        if (Pointer.nativeValue(p) == LibC.MAP_FAILED) throw new SysError("mmap(anonymous)", LibC.errno());
        return new Mapping(Pointer.nativeValue(p), size);
    }
}
