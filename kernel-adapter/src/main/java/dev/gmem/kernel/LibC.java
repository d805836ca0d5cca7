package dev.gmem.kernel;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The C library calls the adapter makes, bound with JNA direct mapping ({@code Native.register}):
 * a few hundred nanoseconds a call, against microseconds through interface mapping. Each call
 * returns -1 and leaves errno for {@link #errno()} on failure. Nothing here dereferences memory in
 * Java; the kernel does every access to a guest_memfd page (and answers EFAULT where it cannot).
 */
final class LibC {
    static {
        Native.register("c");
    }

    private LibC() {
    }

    /** errno of the last failed call on this thread. */
    static int errno() {
        return Native.getLastError();
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, long request, Pointer arg);

    static native int ioctl(int fd, long request, long arg);

    static native int fallocate(int fd, int mode, long offset, long length);

    static native long read(int fd, Pointer buf, long count);

    static native long write(int fd, Pointer buf, long count);

    static native long pread(int fd, Pointer buf, long count, long offset);

    static native long pwrite(int fd, Pointer buf, long count, long offset);

    static native int ftruncate(int fd, long length);

    static native long lseek(int fd, long offset, int whence);

    static native int fstat(int fd, Pointer statbuf);

    static native int fcntl(int fd, int cmd, int arg);

    static native int pipe2(Pointer fds, int flags);

    static native long vmsplice(int fd, Pointer iov, long nrSegs, int flags);

    static native long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags);

    /** Addresses as plain longs: an all-primitive signature takes JNA's cheapest call path. */
    static native long process_vm_readv(int pid, long localIov, long liovcnt, long remoteIov, long riovcnt, long flags);

    static native long process_vm_writev(int pid, long localIov, long liovcnt, long remoteIov, long riovcnt, long flags);

    static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(Pointer addr, long length);

    static native int getpid();

    static native long syscall(long number);

    /** syscall(2) with six arguments (unused ones 0): glibc's syscall only moves registers, so fixed arguments are safe. */
    static native long syscall(long number, long a, long b, long c, long d, long e, long f);

    static native int madvise(long addr, long length, int advice);

    static native int mlock(long addr, long length);

    static native int munlock(long addr, long length);

    static native int tgkill(int tgid, int tid, int sig);

    static native int sigaction(int signum, Pointer act, Pointer oldact);

    static native int uname(Pointer buf);

    // open(2)
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    // mmap(2)
    static final int PROT_NONE = 0;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int PROT_EXEC = 4;
    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    /** mmap's error return. */
    static final long MAP_FAILED = -1L;
    // fallocate(2)
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    // fcntl(2)
    static final int F_SETPIPE_SZ = 1031;
    // lseek(2)
    static final int SEEK_SET = 0;
    static final int SEEK_END = 2;
    // madvise(2)
    static final int MADV_HUGEPAGE = 14;
    static final int MADV_NOHUGEPAGE = 15;
    // include/uapi/linux/mempolicy.h
    static final int MPOL_DEFAULT = 0;
    static final int MPOL_PREFERRED = 1;
    static final int MPOL_BIND = 2;
    static final int MPOL_INTERLEAVE = 3;
    static final int MPOL_F_NODE = 1;
    static final int MPOL_F_ADDR = 1 << 1;
    /** Bits of the nodemask the kit passes: one unsigned long. */
    static final int NODEMASK_BITS = 64;
    // splice(2)
    static final int SPLICE_F_NONBLOCK = 0x02;
    // syscall numbers (x86_64)
    static final long SYS_GETTID = 186;
    static final long SYS_MBIND = 237;
    static final long SYS_GET_MEMPOLICY = 239;
    static final long SYS_MOVE_PAGES = 279;
    // struct stat (x86_64)
    static final int STAT_SIZE = 144;
    static final int STAT_ST_SIZE = 48;
    static final int STAT_ST_BLOCKS = 64;
    // struct iovec
    static final int IOVEC_SIZE = 16;
}
