package dev.gmem.api;

/**
 * Where a guest sees a guest_memfd: guest_memfd {@code n} has its canonical guest physical window
 * at {@code BASE + n * WINDOW}. Canonical bindings and per-GPA conversions use it, so the same
 * sequence means the same addresses on every target.
 */
public final class GuestLayout {
    public static final long PAGE_SIZE = 4096;
    /** First canonical GPA: above the guest's own code, stack and page tables. */
    public static final long BASE = 0x1000_0000L;
    /** Each guest_memfd's window; a binding past it would overlap the next window. */
    public static final long WINDOW = 0x0100_0000L;
    /** The highest handle with a canonical window (the guest maps the GPAs up to there). */
    public static final int MAX_GMEM = 63;

    private GuestLayout() {
    }

    public static long gpa(int gmem, long offset) {
        return BASE + gmem * WINDOW + offset;
    }

    /** Highest GPA (exclusive) that the guest's page tables must map. */
    public static long end() {
        return BASE + (MAX_GMEM + 1) * WINDOW;
    }
}
