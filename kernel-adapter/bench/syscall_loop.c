/*
 * The system calls the kernel adapter makes, issued in a plain C loop: the baseline the adapter's
 * cost per operation is compared with (see ./run). x86_64 Linux with /dev/kvm and guest_memfd
 * GUEST_MEMFD_FLAG_MMAP (6.18+).
 *
 *   probe-shared   process_vm_readv of 8 bytes of a shared guest_memfd page (succeeds)
 *   probe-private  the same on a page the host may not touch (EFAULT, no signal)
 *   punch-refault  fallocate(PUNCH_HOLE|KEEP_SIZE) of one page, then process_vm_readv refaults it
 *
 * Usage: syscall_loop [iterations]   prints "<name> <ns per operation>" lines, in CPU time of the
 * calling thread (user + system), so that other load on the machine does not count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define KVMIO 0xAE
#define KVM_CREATE_VM _IO(KVMIO, 0x01)
struct create_guest_memfd { uint64_t size, flags, reserved[6]; };
#define KVM_CREATE_GUEST_MEMFD _IOWR(KVMIO, 0xd4, struct create_guest_memfd)
#define FLAG_MMAP 1ull
#define FLAG_INIT_SHARED 2ull
#define PAGE 4096

static int die(const char *what) {
    fprintf(stderr, "syscall_loop: %s: %s\n", what, strerror(errno));
    exit(2);
}

static char *map_gmem(int vm, uint64_t flags) {
    struct create_guest_memfd req = { .size = PAGE, .flags = flags };
    int fd = ioctl(vm, KVM_CREATE_GUEST_MEMFD, &req);
    if (fd < 0) die("KVM_CREATE_GUEST_MEMFD");
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) die("mmap");
    return p;
}

static int gmem_fd_of_shared;

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static long probe(pid_t pid, char *addr, char *buf) {
    struct iovec local = { buf, 8 }, remote = { addr, 8 };
    return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) die("/dev/kvm");
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) die("KVM_CREATE_VM");
    struct create_guest_memfd req = { .size = PAGE, .flags = FLAG_MMAP | FLAG_INIT_SHARED };
    gmem_fd_of_shared = ioctl(vm, KVM_CREATE_GUEST_MEMFD, &req);
    if (gmem_fd_of_shared < 0) die("KVM_CREATE_GUEST_MEMFD");
    char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gmem_fd_of_shared, 0);
    if (shared == MAP_FAILED) die("mmap");
    char *private = map_gmem(vm, FLAG_MMAP);
    char buf[8];
    pid_t pid = getpid();

    for (int round = 0; round < 2; round++) { /* the first round warms up */
        double t0 = now_ns();
        for (long i = 0; i < n; i++)
            if (probe(pid, shared, buf) != 8) die("probe of a shared page");
        double t1 = now_ns();
        for (long i = 0; i < n; i++)
            if (probe(pid, private, buf) != -1 || errno != EFAULT) die("probe of a private page did not EFAULT");
        double t2 = now_ns();
        long m = n / 4;
        for (long i = 0; i < m; i++) {
            if (fallocate(gmem_fd_of_shared, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, PAGE)) die("fallocate");
            if (probe(pid, shared, buf) != 8) die("refault");
        }
        double t3 = now_ns();
        if (round == 1) {
            printf("probe-shared %.0f\n", (t1 - t0) / n);
            printf("probe-private %.0f\n", (t2 - t1) / n);
            printf("punch-refault %.0f\n", (t3 - t2) / m);
        }
    }
    return 0;
}
