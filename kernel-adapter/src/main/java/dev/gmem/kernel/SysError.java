package dev.gmem.kernel;

/** A system call the adapter needed for its own setup failed (not an observation of a clause). */
final class SysError extends RuntimeException {
    private final int errno;

    SysError(String call, int errno) {
        super(call + " failed: " + Errnos.name(errno));
        this.errno = errno;
    }

    int errno() {
        return errno;
    }

    /** {@code rc} unless it is negative, else a SysError with the thread's errno. */
    static long check(long rc, String call) {
        if (rc < 0) throw new SysError(call, LibC.errno());
        return rc;
    }

    static int check(int rc, String call) {
        if (rc < 0) throw new SysError(call, LibC.errno());
        return rc;
    }
}
