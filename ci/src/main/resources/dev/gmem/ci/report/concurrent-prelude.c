/*@ head */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define KSFT_SKIP 4
/* a case uses some of a section's helpers only */
#define HELPER static __attribute__((unused))
#define PAGE 4096UL
#define KVM_CREATE_VM 0xAE01UL
#define KVM_CHECK_EXTENSION 0xAE03UL
#define MAX_GMEMS 8
#define MAX_PINS 256
#define MAX_SLOTS 8
#define MAX_VCPUS 4
#define READ_MAX PAGE /* reads up to this long keep their bytes for the open answers; longer ones their hash */
#define SKIP(...) do { printf("# SKIP: "); printf(__VA_ARGS__); printf("\n"); exit(KSFT_SKIP); } while (0)

/* An answer. kind and value as the Java side compares them, aux and more where a kind has more to it:
 * a read (hash of its bytes, length), a memory-fault exit (gpa, size, private), an MMIO exit (gpa, write),
 * a hypercall exit (host result, gpa, pages * 2 + private). */
enum kind { A_OK, A_ERRNO, A_FAULT, A_READ, A_PINNED, A_REFUSED, A_VALUE, A_MEMFAULT, A_MMIO, A_HYPERCALL, A_OTHER, A_ANY };
struct res {
	int kind;
	uint64_t value, aux, more;
	uint8_t *bytes; /* a read's bytes (READ_MAX of room), set by main */
};

/* What a row allows at a step: an answer, or the open forms (a read's bytes run by run, a guest value's
 * known bits, any answer). */
struct run {
	uint32_t length;
	uint8_t count; /* 0: any byte */
	uint8_t value[15];
};
struct cell {
	int kind;
	uint64_t value, aux, more;
	uint64_t mask;          /* A_VALUE: the bits compared */
	const struct run *runs; /* A_READ: the byte runs (length 0 ends them), NULL to compare the hash */
};

struct slot {
	int gmem;
	uint64_t gpa, size, offset;
};

struct vcpu {
	int fd;
	struct kvm_run *run;
};

struct world {
	int kvm, vm;
	int ngmem;
	int gmem[MAX_GMEMS];
	uint64_t size[MAX_GMEMS];
	uint8_t *view[MAX_GMEMS];
	int npins;
	int pin[MAX_PINS][2];
	struct slot slot[MAX_SLOTS];
	int ncpus;
	struct vcpu cpu[MAX_VCPUS];
	uint8_t *low;           /* the guest's code and page tables, low_size bytes */
	size_t low_size, run_size;
	volatile int kicked;    /* the round's watchdog fired */
	pthread_mutex_t lock;   /* the lists only, never held across the raced call */
	struct res *out[MAX_VCPUS + 4]; /* each thread's answers */
};

static void answer(struct res *r, int kind, uint64_t value)
{
	r->kind = kind;
	r->value = value;
	r->aux = r->more = 0;
}

static void fail_errno(struct res *r)
{
	answer(r, A_ERRNO, (uint64_t)errno);
}

static int live(struct world *w, int g, struct res *r)
{
	if (g >= 0 && g < w->ngmem && w->gmem[g] >= 0)
		return 1;
	answer(r, A_ERRNO, EBADF);
	return 0;
}

static void world_open(struct world *w, int kvm, int vm_type)
{
	memset(w, 0, sizeof(*w));
	w->kvm = kvm;
	pthread_mutex_init(&w->lock, NULL);
	w->vm = ioctl(kvm, KVM_CREATE_VM, (unsigned long)vm_type);
	if (w->vm < 0)
		SKIP("KVM_CREATE_VM(type %d) failed: %s", vm_type, strerror(errno));
}

static void world_close(struct world *w)
{
	for (int i = 0; i < w->npins; i++) {
		if (w->pin[i][0] >= 0) {
			close(w->pin[i][0]);
			close(w->pin[i][1]);
		}
	}
	for (int i = 0; i < w->ncpus; i++) {
		munmap(w->cpu[i].run, w->run_size);
		close(w->cpu[i].fd);
	}
	if (w->low)
		munmap(w->low, w->low_size);
	for (int i = 0; i < w->ngmem; i++) {
		if (w->view[i])
			munmap(w->view[i], w->size[i] + PAGE);
		close(w->gmem[i]);
	}
	close(w->vm);
	pthread_mutex_destroy(&w->lock);
}

static const char *kind_name[] = { "ok", "errno", "host fault at", "read, hash", "pinned", "EAGAIN at", "guest value",
				   "memory fault exit at", "MMIO exit at", "hypercall exit, host result", "other exit",
				   "any" };

static void print_res(const char *what, const struct res *r)
{
	printf("#   %s -> %s 0x%llx", what, kind_name[r->kind], (unsigned long long)r->value);
	if (r->kind == A_READ && r->bytes && r->aux <= READ_MAX)
		for (uint64_t i = 0; i < r->aux && i < 16; i++)
			printf("%s%02x", i ? " " : ", bytes ", r->bytes[i]);
	else if (r->kind >= A_MEMFAULT && r->kind <= A_HYPERCALL)
		printf(" (0x%llx, 0x%llx)", (unsigned long long)r->aux, (unsigned long long)r->more);
	printf("\n");
}

static int bytes_fit(const struct run *run, const struct res *r)
{
	uint64_t at = 0;
	if (!r->bytes || r->aux > READ_MAX)
		return 0;
	for (; run->length; run++) {
		for (uint32_t i = 0; i < run->length; i++, at++) {
			int ok = run->count == 0;
			for (int v = 0; v < run->count && !ok; v++)
				ok = at < r->aux && r->bytes[at] == run->value[v];
			if (!ok)
				return 0;
		}
	}
	return at == r->aux;
}

/* Whether a row's cell allows the answer; an other exit is compared by its kind (its reason is text), a pin
 * too (its handle is this program's). */
static int fits(const struct cell *c, const struct res *r)
{
	if (c->kind == A_ANY)
		return 1;
	if (c->kind != r->kind)
		return 0;
	if (c->kind == A_OTHER || c->kind == A_PINNED)
		return 1;
	if (c->kind == A_READ && c->runs)
		return bytes_fit(c->runs, r);
	if (c->kind == A_VALUE)
		return (c->value & c->mask) == (r->value & c->mask);
	return c->value == r->value && c->aux == r->aux && c->more == r->more;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*@ create */
#define KVM_CREATE_GUEST_MEMFD 0xC040AED4UL /* _IOWR(KVMIO, 0xd4, 64 bytes), VM fd */
#define KVM_CAP_GUEST_MEMFD_FLAGS 244

struct kvm_create_guest_memfd {
	uint64_t size;
	uint64_t flags;
	uint64_t reserved[6];
};

/* A guard page follows each view: an access past the file's end faults instead of touching a neighbour. */
static uint8_t *view_of(int fd, uint64_t size)
{
	void *base = mmap(NULL, size + PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int flags = MAP_SHARED | MAP_FIXED | (fd < 0 ? MAP_ANONYMOUS : 0);
	if (base == MAP_FAILED || mmap(base, size, PROT_READ | PROT_WRITE, flags, fd, 0) == MAP_FAILED) {
		printf("# mapping the host's view failed: %s\n", strerror(errno));
		exit(2);
	}
	return base;
}

/* separate: the host's view is its own shared memory (the memslot's userspace_addr), not guest_memfd */
HELPER void op_create(struct world *w, uint64_t size, uint64_t flags, uint64_t mmap_flag, int separate, struct res *r)
{
	struct kvm_create_guest_memfd args = { .size = size, .flags = flags };
	int fd = ioctl(w->vm, KVM_CREATE_GUEST_MEMFD, &args);
	if (fd < 0) {
		fail_errno(r);
		return;
	}
	w->gmem[w->ngmem] = fd;
	w->size[w->ngmem] = size;
	w->view[w->ngmem] = separate ? view_of(-1, size) : flags & mmap_flag ? view_of(fd, size) : NULL;
	answer(r, A_OK, (uint64_t)w->ngmem++);
}

/*@ fault-at */
/* The host fault of an access to offset that stopped after copied bytes: at the page that failed. */
static void fault_at(struct res *r, uint64_t offset, long copied)
{
	uint64_t at = offset + (copied > 0 ? (uint64_t)copied : 0);
	at -= at % PAGE;
	answer(r, A_FAULT, at < offset ? offset : at);
}

/*@ host-copy: fault-at */
#include <sys/uio.h>

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

/* Copies the range into buf without a signal (the kernel copies: a private or missing page is
 * EFAULT, not SIGBUS); 0, or -1 with the answer set. */
static int copy_in(struct world *w, int g, uint64_t offset, uint64_t length, uint8_t *buf, struct res *r)
{
	if (!live(w, g, r))
		return -1;
	if (!w->view[g]) {
		answer(r, A_ERRNO, ENODEV);
		return -1;
	}
	long copied = copy_pages(0, w->view[g] + offset, buf, length);
	if (copied < (long)length) {
		fault_at(r, offset, copied);
		return -1;
	}
	return 0;
}

/*@ host-read: host-copy */
/* FNV-1a (64 bits): a read is compared by the hash of its bytes */
static uint64_t fnv(const uint8_t *p, uint64_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (uint64_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

HELPER void op_host_read(struct world *w, int g, uint64_t offset, uint64_t length, struct res *r)
{
	static _Thread_local uint8_t buf[64 * 4096];
	uint8_t *into = length <= READ_MAX ? r->bytes : buf;
	if (copy_in(w, g, offset, length, into, r) == 0) {
		answer(r, A_READ, fnv(into, length));
		r->aux = length;
	}
}

/*@ host-write: host-copy */
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

/*@ fallocate */
HELPER void op_fallocate(struct world *w, int g, int mode, uint64_t offset, uint64_t length, struct res *r)
{
	if (!live(w, g, r))
		return;
	if (fallocate(w->gmem[g], mode, (off_t)offset, (off_t)length))
		fail_errno(r);
	else
		answer(r, A_OK, 0);
}

/*@ pin: fault-at */
#include <sys/uio.h>

/* A host page reference: the pages vmspliced into a pipe stay referenced until it is closed. */
HELPER void op_pin(struct world *w, int g, uint64_t offset, uint64_t length, struct res *r)
{
	int fds[2];
	if (!live(w, g, r))
		return;
	if (!w->view[g]) {
		answer(r, A_ERRNO, ENODEV);
		return;
	}
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
	int handle = w->npins++;
	w->pin[handle][0] = fds[0];
	w->pin[handle][1] = fds[1];
	pthread_mutex_unlock(&w->lock);
	answer(r, A_PINNED, 0);
	r->aux = (uint64_t)handle; /* for this thread's unpin; not compared */
}

/*@ unpin */
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

/*@ mmap */
HELPER void op_mmap(struct world *w, int g, struct res *r)
{
	if (!live(w, g, r))
		return;
	uint64_t length = w->size[g] > PAGE ? w->size[g] : PAGE;
	void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, w->gmem[g], 0);
	if (p == MAP_FAILED) {
		fail_errno(r);
		return;
	}
	munmap(p, length);
	answer(r, A_OK, 0);
}

/*@ bind */
/*@@ kvm-memslot-abi.c */

/* A memslot whose private memory is the guest_memfd at offset; userspace_addr the host's view, else fresh memory. */
HELPER void op_bind(struct world *w, uint32_t slot, int g, uint64_t offset, uint64_t size, uint64_t gpa, struct res *r)
{
	if (!live(w, g, r))
		return;
	uint8_t *memory = w->view[g] ? w->view[g] + offset
				     : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct kvm_userspace_memory_region2 m = { .slot = slot, .flags = KVM_MEM_GUEST_MEMFD, .guest_phys_addr = gpa,
						  .memory_size = size, .userspace_addr = (uint64_t)(uintptr_t)memory,
						  .guest_memfd_offset = offset, .guest_memfd = (uint32_t)w->gmem[g] };
	if (memory == MAP_FAILED || ioctl(w->vm, KVM_SET_USER_MEMORY_REGION2, &m)) {
		fail_errno(r);
		return;
	}
	if (slot < MAX_SLOTS)
		w->slot[slot] = (struct slot){ .gmem = g, .gpa = gpa, .size = size, .offset = offset };
	answer(r, A_OK, 0);
}

/*@ private-memory */
#define KVM_CAP_MEMORY_ATTRIBUTES 233
#define KVM_MEMORY_ATTRIBUTE_PRIVATE (1ULL << 3)

/*@ attributes2: private-memory */
#define KVM_SET_MEMORY_ATTRIBUTES2 0xC080AED2UL /* in-place conversion, guest_memfd fd */

struct kvm_memory_attributes2 {
	uint64_t offset, size, attributes, flags, error_offset, reserved[11];
};

/* 0 or -errno, the refused page in *at */
static long convert_file(int fd, uint64_t offset, uint64_t size, int to_private, uint64_t *at)
{
	struct kvm_memory_attributes2 a = { .offset = offset, .size = size,
		.attributes = to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0 };
	long rc = ioctl(fd, KVM_SET_MEMORY_ATTRIBUTES2, &a) ? -errno : 0;
	*at = a.error_offset;
	return rc;
}

/*@ gmem-convert: private-memory */
#define KVM_GMEM_CONVERT_SHARED 0xC040AF41UL  /* RFC v2, guest_memfd fd */
#define KVM_GMEM_CONVERT_PRIVATE 0xC040AF42UL /* RFC v2, guest_memfd fd */

struct kvm_gmem_convert {
	uint64_t offset, size, error_offset, reserved[5];
};

/* 0 or -errno, the refused page in *at */
static long convert_file(int fd, uint64_t offset, uint64_t size, int to_private, uint64_t *at)
{
	struct kvm_gmem_convert c = { .offset = offset, .size = size };
	long rc = ioctl(fd, to_private ? KVM_GMEM_CONVERT_PRIVATE : KVM_GMEM_CONVERT_SHARED, &c) ? -errno : 0;
	*at = c.error_offset;
	return rc;
}

/*@ in-place: create */
/* The probe: a conversion call the kernel does not know answers ENOTTY on a guest_memfd. */
static int converts_in_place(int vm)
{
	struct kvm_create_guest_memfd args = { .size = PAGE };
	uint64_t at;
	int fd = ioctl(vm, KVM_CREATE_GUEST_MEMFD, &args);
	int known = fd >= 0 && convert_file(fd, 0, 0, 0, &at) != -ENOTTY;
	if (fd >= 0)
		close(fd);
	return known;
}

/* A conversion on the guest_memfd; EAGAIN names the page it refused. */
HELPER void op_convert(struct world *w, int g, uint64_t offset, uint64_t size, int to_private, struct res *r)
{
	uint64_t at = 0;
	if (!live(w, g, r))
		return;
	long rc = convert_file(w->gmem[g], offset, size, to_private, &at);
	if (rc == -EAGAIN)
		answer(r, A_REFUSED, at);
	else if (rc)
		answer(r, A_ERRNO, (uint64_t)-rc);
	else
		answer(r, A_OK, 0);
}

/* The host's answer to a guest's KVM_HC_MAP_GPA_RANGE: it converts the pages of the memslot holding the range. */
HELPER long host_converts(struct world *w, uint64_t gpa, uint64_t size, int to_private)
{
	uint64_t at;
	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &w->slot[i];
		if (s->size && gpa >= s->gpa && gpa + size <= s->gpa + s->size) {
			return convert_file(w->gmem[s->gmem], s->offset + (gpa - s->gpa), size, to_private, &at);
		}
	}
	return -EINVAL;
}

/*@ vm-attributes: private-memory */
#define KVM_SET_MEMORY_ATTRIBUTES 0x4020AED2UL /* _IOW(KVMIO, 0xd2, 32 bytes), VM fd */

struct kvm_memory_attributes {
	uint64_t address, size, attributes, flags;
};

static long set_attributes(struct world *w, uint64_t gpa, uint64_t size, int to_private)
{
	struct kvm_memory_attributes a = { .address = gpa, .size = size,
		.attributes = to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0 };
	return ioctl(w->vm, KVM_SET_MEMORY_ATTRIBUTES, &a) ? -errno : 0;
}

/* A conversion of the guest_memfd's canonical GPAs (GMEM_BASE + g * GMEM_WINDOW + offset) on the VM. */
HELPER void op_convert(struct world *w, int g, uint64_t offset, uint64_t size, int to_private, struct res *r)
{
	if (!live(w, g, r))
		return;
	long rc = set_attributes(w, GMEM_BASE + (uint64_t)g * GMEM_WINDOW + offset, size, to_private);
	if (rc)
		answer(r, A_ERRNO, (uint64_t)-rc);
	else
		answer(r, A_OK, 0);
}

/* The host's answer to a guest's KVM_HC_MAP_GPA_RANGE: it converts the GPAs on the VM. */
HELPER long host_converts(struct world *w, uint64_t gpa, uint64_t size, int to_private)
{
	return set_attributes(w, gpa, size, to_private);
}

/*@ no-conversion */
/* The host's answer to a guest's KVM_HC_MAP_GPA_RANGE: this edition has no conversion. */
HELPER long host_converts(struct world *w, uint64_t gpa, uint64_t size, int to_private)
{
	(void)w, (void)gpa, (void)size, (void)to_private;
	return -EINVAL;
}

/*@ vcpu: bind */
/* vCPUs in 64-bit mode on identity-mapped 2 MiB pages up to GUEST_END; code and page tables in a
 * memslot at GPA 0 that all vCPUs share (the code uses no stack and no memory of its own). Entries:
 * +0 loads [rsi] into rax, +0x10 stores rdx at [rsi], +0x20 makes a hypercall; each then reports on
 * port 0xE9 and halts. */
#define KVM_HC_MAP_GPA_RANGE 12
#define KVM_MAP_GPA_RANGE_ENCRYPTED (1ULL << 4)
#define GUEST_LOW_SLOT 32000
#define GUEST_LOW_SIZE 0x10000UL
#define GUEST_CODE 0x8000UL
#define GUEST_STACK 0xF000UL
#define REPORT_PORT 0xE9

/*@@ kvm-vcpu-abi.c */

static int guest_is_amd(void)
{
	static const char vendor[] = "AuthenticAMD";
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];
	int amd = 0;
	while (f && !amd && fgets(line, sizeof(line), f))
		amd = strstr(line, vendor) != NULL;
	if (f)
		fclose(f);
	return amd;
}

/* The guest's low memory: its code, then page tables identity-mapping [0, GUEST_END) with 2 MiB pages. */
static uint8_t *guest_image(void)
{
	const uint8_t report[] = { 0xE6, REPORT_PORT, 0xF4, 0xEB, 0xFD }; /* out 0xE9, al; 1: hlt; jmp 1b */
	const uint8_t load[] = { 0x48, 0x8B, 0x06 };                      /* mov rax, [rsi] */
	const uint8_t store[] = { 0x48, 0x89, 0x16 };                     /* mov [rsi], rdx */
	const uint8_t call[] = { 0x0F, 0x01, guest_is_amd() ? 0xD9 : 0xC1 }; /* vmmcall or vmcall */
	const uint8_t *entry[] = { load, store, call };
	uint8_t *low = mmap(NULL, GUEST_LOW_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t *pml4 = (uint64_t *)(low + 0x1000), *pdpt = (uint64_t *)(low + 0x2000), *pd = (uint64_t *)(low + 0x3000);

	if (low == MAP_FAILED)
		SKIP("no memory for the guest's code: %s", strerror(errno));
	for (int e = 0; e < 3; e++) {
		memcpy(low + GUEST_CODE + 0x10 * e, entry[e], 3);
		memcpy(low + GUEST_CODE + 0x10 * e + 3, report, sizeof(report));
	}
	pml4[0] = 0x2000 | 3; /* present, writable */
	for (uint64_t gib = 0; gib < (GUEST_END + (1ULL << 30) - 1) >> 30; gib++)
		pdpt[gib] = (0x3000 + PAGE * gib) | 3;
	for (uint64_t big = 0; big < (GUEST_END + (2ULL << 20) - 1) >> 21; big++)
		pd[big] = (big << 21) | 0x83; /* present, writable, 2 MiB */
	return low;
}

static void kick(int signal)
{
	(void)signal; /* only interrupts KVM_RUN */
}

/* The guest's memslot and n vCPUs in 64-bit mode; no vCPU on this machine is a skip. */
static void vcpus_start(struct world *w, int n)
{
	static struct kvm_cpuid2 cpuid;
	struct kvm_userspace_memory_region2 low = { .slot = GUEST_LOW_SLOT, .memory_size = GUEST_LOW_SIZE };
	struct kvm_segment code = { .limit = 0xffffffff, .selector = 8, .type = 11, .present = 1, .s = 1, .l = 1, .g = 1 };
	struct kvm_segment data = { .limit = 0xffffffff, .selector = 0x10, .type = 3, .present = 1, .db = 1, .s = 1, .g = 1 };
	struct sigaction interrupting = { .sa_handler = kick }; /* no SA_RESTART: KVM_RUN returns EINTR */

	w->run_size = (size_t)ioctl(w->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	w->low = guest_image();
	w->low_size = GUEST_LOW_SIZE;
	low.userspace_addr = (uint64_t)(uintptr_t)w->low;
	if (ioctl(w->vm, KVM_SET_USER_MEMORY_REGION2, &low))
		SKIP("no memslot for the guest's code: %s", strerror(errno));
	if (!cpuid.nent) {
		cpuid.nent = 256;
		if (ioctl(w->kvm, KVM_GET_SUPPORTED_CPUID, &cpuid))
			SKIP("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		sigaction(SIGUSR1, &interrupting, NULL);
	}
	for (w->ncpus = 0; w->ncpus < n; w->ncpus++) {
		struct vcpu *v = &w->cpu[w->ncpus];
		struct kvm_sregs s;
		v->fd = ioctl(w->vm, KVM_CREATE_VCPU, (unsigned long)w->ncpus);
		if (v->fd < 0)
			SKIP("KVM_CREATE_VCPU(%d): %s", w->ncpus, strerror(errno));
		v->run = mmap(NULL, w->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED || ioctl(v->fd, KVM_SET_CPUID2, &cpuid) || ioctl(v->fd, KVM_GET_SREGS, &s))
			SKIP("cannot set vCPU %d up (kvm_run, CPUID, sregs): %s", w->ncpus, strerror(errno));
		s.cr0 = 0x80000021, s.cr3 = 0x1000, s.cr4 = 0x20, s.efer = 0x500; /* PG|NE|PE, PAE, LMA|LME */
		s.cs = code;
		s.ds = s.es = s.fs = s.gs = s.ss = data;
		s.tr = (struct kvm_segment){ .limit = 0x67, .selector = 0x18, .type = 11, .present = 1 };
		if (ioctl(v->fd, KVM_SET_SREGS, &s))
			SKIP("cannot put vCPU %d in 64-bit mode: %s", w->ncpus, strerror(errno));
	}
}

/* The watchdog's side: a vCPU that has not come back is made to leave KVM_RUN (with a signal to its thread). */
static void vcpus_kick(struct world *w)
{
	w->kicked = 1;
	for (int i = 0; i < w->ncpus; i++)
		w->cpu[i].run->immediate_exit = 1;
}

/* Runs entry on the vCPU until it reports (a value for a load) or exits otherwise; a hypercall is the host's. */
static void guest_run(struct world *w, int cpu, int entry, struct kvm_regs regs, struct res *r)
{
	struct vcpu *v = &w->cpu[cpu];
	int hypercall = 0;

	v->run->immediate_exit = 1; /* completes the exit of the previous run before the registers change */
	ioctl(v->fd, KVM_RUN, 0);
	v->run->immediate_exit = 0;
	regs.rip = GUEST_CODE + 0x10 * (uint64_t)entry, regs.rsp = GUEST_STACK, regs.rflags = 2;
	if (ioctl(v->fd, KVM_SET_REGS, &regs)) {
		answer(r, A_OTHER, (uint64_t)errno);
		return;
	}
	for (;;) {
		int rc = ioctl(v->fd, KVM_RUN, 0);
		struct kvm_run *run = v->run;
		if (rc < 0 && (errno == EFAULT || errno == EHWPOISON) && run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
			answer(r, A_MEMFAULT, run->memory_fault.gpa);
			r->aux = run->memory_fault.size;
			r->more = (run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE) != 0;
			return;
		}
		if ((rc < 0 && errno == EINTR) || (rc == 0 && run->exit_reason == KVM_EXIT_INTR)) {
			if (!w->kicked)
				continue;
			answer(r, A_OTHER, ETIMEDOUT);
			return;
		}
		if (rc < 0) {
			answer(r, A_OTHER, (uint64_t)errno);
			return;
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == REPORT_PORT)
			break;
		if (run->exit_reason == KVM_EXIT_MMIO) {
			answer(r, A_MMIO, run->mmio.phys_addr);
			r->aux = run->mmio.is_write;
			return;
		}
		if (run->exit_reason != KVM_EXIT_HYPERCALL || run->hypercall.nr != KVM_HC_MAP_GPA_RANGE) {
			answer(r, A_OTHER, run->exit_reason);
			return;
		}
		int to_private = (run->hypercall.args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED) != 0;
		run->hypercall.ret = (uint64_t)host_converts(w, run->hypercall.args[0], run->hypercall.args[1] * PAGE, to_private);
		answer(r, A_HYPERCALL, run->hypercall.ret);
		r->aux = run->hypercall.args[0];
		r->more = run->hypercall.args[1] * 2 + (uint64_t)to_private;
		hypercall = 1;
	}
	if (ioctl(v->fd, KVM_GET_REGS, &regs))
		answer(r, A_OTHER, (uint64_t)errno);
	else if (entry == 0)
		answer(r, A_VALUE, regs.rax);
	else if (entry == 1)
		answer(r, A_OK, 0);
	else if (!hypercall) /* KVM answered the guest itself: minus a KVM errno, else the exit never came */
		answer(r, (int64_t)regs.rax < 0 && (int64_t)regs.rax >= -4095 ? A_ERRNO : A_OTHER, -regs.rax);
}

HELPER void op_guest_read(struct world *w, int cpu, uint64_t gpa, struct res *r)
{
	guest_run(w, cpu, 0, (struct kvm_regs){ .rsi = gpa }, r);
}

HELPER void op_guest_write(struct world *w, int cpu, uint64_t gpa, uint64_t value, struct res *r)
{
	guest_run(w, cpu, 1, (struct kvm_regs){ .rsi = gpa, .rdx = value }, r);
}

/*@ hypercall: vcpu */
#define KVM_CAP_EXIT_HYPERCALL 201
#define KVM_ENABLE_CAP 0x4068AEA3UL /* _IOW(KVMIO, 0xa3, 104 bytes) */

struct kvm_enable_cap {
	uint32_t cap, flags;
	uint64_t args[4];
	uint8_t pad[64];
};

/* KVM_HC_MAP_GPA_RANGE is to exit to this program, which converts as the host; a kernel that cannot is a skip. */
static void hypercalls_exit(struct world *w)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_EXIT_HYPERCALL, .args = { 1ULL << KVM_HC_MAP_GPA_RANGE } };
	if (!(ioctl(w->vm, KVM_CHECK_EXTENSION, KVM_CAP_EXIT_HYPERCALL) & (1L << KVM_HC_MAP_GPA_RANGE)) ||
	    ioctl(w->vm, KVM_ENABLE_CAP, &cap))
		SKIP("KVM_HC_MAP_GPA_RANGE does not exit to the host: KVM_CAP_EXIT_HYPERCALL lacks it");
}

/* The guest asks for [gpa, gpa + pages) in one state by KVM_HC_MAP_GPA_RANGE. */
HELPER void op_guest_convert(struct world *w, int cpu, uint64_t gpa, uint64_t pages, int to_private, struct res *r)
{
	guest_run(w, cpu, 2, (struct kvm_regs){ .rax = KVM_HC_MAP_GPA_RANGE, .rbx = gpa, .rcx = pages,
						.rdx = to_private ? KVM_MAP_GPA_RANGE_ENCRYPTED : 0 }, r);
}
