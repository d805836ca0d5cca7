package dev.gmem.kernel;

/**
 * A memslot the session bound: guest range {@code [gpa, gpa + size)} served by guest_memfd
 * {@code gmem} from {@code offset}, with the memory behind its userspace_addr (kept mapped while bound).
 */
record Slot(int slot, long gpa, long size, int gmem, long offset, Mapping userMemory) {
    boolean contains(long from, long length) {
        return from >= gpa && length >= 0 && from + length <= gpa + size;
    }

    void release() {
        if (userMemory != null) userMemory.release();
    }
}
