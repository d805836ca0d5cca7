package dev.gmem.kernel;

import com.sun.jna.Memory;

/**
 * A host page reference: the pages vmspliced into a pipe stay referenced until the pipe is drained
 * or closed (KERNEL-ABI.md §4).
 */
final class PinPipe {
    private static final int DEFAULT_PIPE_BYTES = 65536;

    private int readFd;
    private int writeFd;

    private PinPipe(int readFd, int writeFd) {
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /** The outcome of a pin: the pin, or the byte count spliced before the kernel's errno. */
    record Result(PinPipe pin, long splicedBeforeError, int errno) {
    }

    /** vmsplices {@code [address, address + length)} into a fresh pipe. */
    static Result pin(long address, long length, Memory iov) {
        try (Memory fds = new Memory(8)) {
            if (LibC.pipe2(fds, LibC.O_CLOEXEC | LibC.O_NONBLOCK) < 0) return new Result(null, 0, LibC.errno());
            PinPipe p = new PinPipe(fds.getInt(0), fds.getInt(4));
            if (length > DEFAULT_PIPE_BYTES) {
                long want = Long.highestOneBit(Math.max(length - 1, 1)) << 1;
                if (LibC.fcntl(p.writeFd, LibC.F_SETPIPE_SZ, (int) Math.min(want, Integer.MAX_VALUE)) < 0) {
                    int errno = LibC.errno();
                    p.close();
                    return new Result(null, 0, errno);
                }
            }
            long done = 0;
            while (done < length) {
                iov.setLong(Structs.Iovec.BASE, address + done);
                iov.setLong(Structs.Iovec.LEN, length - done);
                long n = LibC.vmsplice(p.writeFd, iov, 1, 0);
                if (n <= 0) {
                    int errno = n < 0 ? LibC.errno() : Errnos.EAGAIN;
                    p.close();
                    return new Result(null, done, errno);
                }
                done += n;
            }
            return new Result(p, length, 0);
        }
    }

    void close() {
        if (readFd >= 0) LibC.close(readFd);
        if (writeFd >= 0) LibC.close(writeFd);
        readFd = -1;
        writeFd = -1;
    }
}
