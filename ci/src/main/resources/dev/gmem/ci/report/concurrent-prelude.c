#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define KSFT_SKIP 4
/* a case uses some of the operations only */
#define HELPER static __attribute__((unused))
#define PAGE 4096UL
#define KVM_CREATE_VM 0xAE01UL
#define KVM_CREATE_GUEST_MEMFD 0xC040AED4UL /* _IOWR(KVMIO, 0xd4, 64 bytes), VM fd */
#define KVM_SET_MEMORY_ATTRIBUTES2 0xC080AED2UL /* in-place conversion, guest_memfd fd */
#define KVM_MEMORY_ATTRIBUTE_PRIVATE (1ULL << 3)
#define MAX_GMEMS 8
#define MAX_PINS 256

struct kvm_create_guest_memfd {
	uint64_t size;
	uint64_t flags;
	uint64_t reserved[6];
};

struct kvm_memory_attributes2 {
	uint64_t offset, size, attributes, flags, error_offset, reserved[11];
};

/* An answer: what the Java side compares too (a read by the FNV-1a hash of its bytes, a refusal by its page). */
enum kind { A_OK, A_ERRNO, A_FAULT, A_READ, A_PINNED, A_REFUSED };
struct res {
	int kind;
	uint64_t value;
};

struct world {
	int kvm, vm;
	int ngmem;
	int gmem[MAX_GMEMS];
	uint64_t size[MAX_GMEMS];
	uint8_t *view[MAX_GMEMS];
	int npins;
	int pin[MAX_PINS][2];
	pthread_mutex_t lock; /* the lists only, never held across the raced call */
	struct res *out[8];   /* each thread's answers */
};

static void answer(struct res *r, int kind, uint64_t value)
{
	r->kind = kind;
	r->value = value;
}

static void fail_errno(struct res *r)
{
	answer(r, A_ERRNO, (uint64_t)errno);
}

static uint64_t fnv(const uint8_t *p, uint64_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (uint64_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static int gmem_of(struct world *w, int g, struct res *r)
{
	if (g < 0 || g >= w->ngmem || w->gmem[g] < 0) {
		answer(r, A_ERRNO, EBADF);
		return -1;
	}
	if (!w->view[g]) {
		answer(r, A_ERRNO, ENODEV);
		return -1;
	}
	return 0;
}

HELPER void op_create(struct world *w, uint64_t size, uint64_t flags, uint64_t mmap_flag, struct res *r)
{
	struct kvm_create_guest_memfd args = { .size = size, .flags = flags };
	int fd = ioctl(w->vm, KVM_CREATE_GUEST_MEMFD, &args);
	if (fd < 0) {
		fail_errno(r);
		return;
	}
	uint8_t *view = NULL;
	if (flags & mmap_flag) {
		/* a guard page after the file: an access past its end faults instead of touching a neighbour */
		void *base = mmap(NULL, size + PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (base == MAP_FAILED || mmap(base, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
			printf("# mapping the guest_memfd failed: %s\n", strerror(errno));
			exit(2);
		}
		view = base;
	}
	w->gmem[w->ngmem] = fd;
	w->size[w->ngmem] = size;
	w->view[w->ngmem] = view;
	answer(r, A_OK, (uint64_t)w->ngmem++);
}

/* One iovec per page, so that the first page that cannot be copied ends it: bytes copied. */
static long copy_pages(int write, uint8_t *address, uint8_t *buf, uint64_t n)
{
	struct iovec local = { buf, n }, remote[64];
	int count = 0;
	for (uint64_t done = 0; done < n && count < 64; count++) {
		uint64_t at = (uint64_t)(uintptr_t)address + done;
		uint64_t len = PAGE - at % PAGE;
		if (len > n - done)
			len = n - done;
		remote[count].iov_base = address + done;
		remote[count].iov_len = len;
		done += len;
	}
	return write ? process_vm_writev(getpid(), &local, 1, remote, count, 0)
		     : process_vm_readv(getpid(), &local, 1, remote, count, 0);
}

static void fault_at(struct res *r, uint64_t offset, long copied)
{
	uint64_t at = offset + (copied > 0 ? (uint64_t)copied : 0);
	at -= at % PAGE;
	answer(r, A_FAULT, at < offset ? offset : at);
}

/* Copies the range into buf without a signal (the kernel copies: a private or missing page is
 * EFAULT, not SIGBUS); 0, or -1 with the answer set. */
static int copy_in(struct world *w, int g, uint64_t offset, uint64_t length, uint8_t *buf, struct res *r)
{
	if (gmem_of(w, g, r))
		return -1;
	long copied = copy_pages(0, w->view[g] + offset, buf, length);
	if (copied < (long)length) {
		fault_at(r, offset, copied);
		return -1;
	}
	return 0;
}

HELPER void op_host_read(struct world *w, int g, uint64_t offset, uint64_t length, struct res *r)
{
	static _Thread_local uint8_t buf[64 * 4096];
	if (copy_in(w, g, offset, length, buf, r) == 0)
		answer(r, A_READ, fnv(buf, length));
}

/* Host write: every page probed first, so that a write that would fault writes nothing. */
HELPER void op_host_write(struct world *w, int g, uint64_t offset, uint64_t length, int fill, struct res *r)
{
	static _Thread_local uint8_t buf[64 * 4096];
	if (copy_in(w, g, offset, length, buf, r))
		return;
	memset(buf, fill, length);
	long copied = copy_pages(1, w->view[g] + offset, buf, length);
	if (copied < (long)length)
		fault_at(r, offset, copied);
	else
		answer(r, A_OK, 0);
}

HELPER void op_fallocate(struct world *w, int g, int mode, uint64_t offset, uint64_t length, struct res *r)
{
	if (g < 0 || g >= w->ngmem || w->gmem[g] < 0) {
		answer(r, A_ERRNO, EBADF);
		return;
	}
	if (fallocate(w->gmem[g], mode, (off_t)offset, (off_t)length))
		fail_errno(r);
	else
		answer(r, A_OK, 0);
}

/* A host page reference: the pages vmspliced into a pipe stay referenced until it is closed. */
HELPER void op_pin(struct world *w, int g, uint64_t offset, uint64_t length, struct res *r)
{
	int fds[2];
	if (gmem_of(w, g, r))
		return;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK)) {
		fail_errno(r);
		return;
	}
	uint64_t done = 0;
	while (done < length) {
		struct iovec iov = { w->view[g] + offset + done, length - done };
		ssize_t n = vmsplice(fds[1], &iov, 1, 0);
		if (n <= 0) {
			int e = n < 0 ? errno : EAGAIN;
			close(fds[0]);
			close(fds[1]);
			if (e == EFAULT)
				fault_at(r, offset, (long)done);
			else
				answer(r, A_ERRNO, (uint64_t)e);
			return;
		}
		done += (uint64_t)n;
	}
	pthread_mutex_lock(&w->lock);
	w->pin[w->npins][0] = fds[0];
	w->pin[w->npins][1] = fds[1];
	w->npins++;
	pthread_mutex_unlock(&w->lock);
	answer(r, A_PINNED, 0);
}

HELPER void op_unpin(struct world *w, int handle, struct res *r)
{
	int fds[2] = { -1, -1 };
	pthread_mutex_lock(&w->lock);
	if (handle >= 0 && handle < w->npins && w->pin[handle][0] >= 0) {
		fds[0] = w->pin[handle][0];
		fds[1] = w->pin[handle][1];
		w->pin[handle][0] = w->pin[handle][1] = -1;
	}
	pthread_mutex_unlock(&w->lock);
	if (fds[0] < 0) {
		answer(r, A_ERRNO, EBADF);
		return;
	}
	close(fds[0]);
	close(fds[1]);
	answer(r, A_OK, 0);
}

HELPER void op_mmap(struct world *w, int g, struct res *r)
{
	if (g < 0 || g >= w->ngmem || w->gmem[g] < 0) {
		answer(r, A_ERRNO, EBADF);
		return;
	}
	uint64_t length = w->size[g] > PAGE ? w->size[g] : PAGE;
	void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, w->gmem[g], 0);
	if (p == MAP_FAILED) {
		fail_errno(r);
		return;
	}
	munmap(p, length);
	answer(r, A_OK, 0);
}

/* In-place conversion on the guest_memfd; EAGAIN names the page it refused. */
HELPER void op_convert(struct world *w, int g, uint64_t offset, uint64_t size, int to_private, struct res *r)
{
	if (g < 0 || g >= w->ngmem || w->gmem[g] < 0) {
		answer(r, A_ERRNO, EBADF);
		return;
	}
	struct kvm_memory_attributes2 a = { .offset = offset, .size = size,
		.attributes = to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0 };
	if (ioctl(w->gmem[g], KVM_SET_MEMORY_ATTRIBUTES2, &a) == 0) {
		answer(r, A_OK, 0);
	} else if (errno == ENOTTY) {
		/* no kernel with in-place conversion answers ENOTTY on a guest_memfd */
		printf("# SKIP: KVM_SET_MEMORY_ATTRIBUTES2: this kernel has no in-place conversion\n");
		exit(KSFT_SKIP);
	} else if (errno == EAGAIN) {
		answer(r, A_REFUSED, a.error_offset);
	} else {
		fail_errno(r);
	}
}

static void world_open(struct world *w, int kvm, int vm_type)
{
	memset(w, 0, sizeof(*w));
	w->kvm = kvm;
	pthread_mutex_init(&w->lock, NULL);
	w->vm = ioctl(kvm, KVM_CREATE_VM, (unsigned long)vm_type);
	if (w->vm < 0) {
		printf("# SKIP: KVM_CREATE_VM(type %d) failed: %s\n", vm_type, strerror(errno));
		exit(KSFT_SKIP);
	}
}

static void world_close(struct world *w)
{
	for (int i = 0; i < w->npins; i++) {
		if (w->pin[i][0] >= 0) {
			close(w->pin[i][0]);
			close(w->pin[i][1]);
		}
	}
	for (int i = 0; i < w->ngmem; i++) {
		if (w->view[i])
			munmap(w->view[i], w->size[i] + PAGE);
		close(w->gmem[i]);
	}
	close(w->vm);
	pthread_mutex_destroy(&w->lock);
}

static const char *kind_name[] = { "ok", "errno", "fault at", "read, hash", "pinned", "EAGAIN at" };

static void print_res(const char *what, const struct res *r)
{
	printf("#   %s -> %s 0x%llx\n", what, kind_name[r->kind], (unsigned long long)r->value);
}

static int same(const struct res *a, const struct res *b)
{
	return a->kind == b->kind && a->value == b->value;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
