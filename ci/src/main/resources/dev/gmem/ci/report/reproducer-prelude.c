/*
 * The helpers of a gmem-conformance C reproducer: one function per system call or ioctl the
 * conversion API uses, each filling a struct obs with what the kernel answered, the way the
 * kit's kernel adapter observes it. Only libc; the KVM uapi numbers and layouts are written out
 * here (include/uapi/linux/kvm.h), so the program builds without kernel headers.
 *
 * Host accesses never load or store a guest_memfd page directly: a private page would raise
 * SIGBUS. They go through process_vm_readv / process_vm_writev on this process, which answer
 * EFAULT instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define HELPER static __attribute__((unused))

/* kselftest exit codes (tools/testing/selftests/kselftest.h) */
#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

#define PAGE_SIZE 4096ULL

/* include/uapi/linux/falloc.h */
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE 0x02
#endif

/* ---- KVM uapi (x86_64), include/uapi/linux/kvm.h ---- */
#define KVMIO 0xAE
#define KVM_CREATE_VM                 _IO(KVMIO, 0x01)
#define KVM_SET_USER_MEMORY_REGION2   0x40A0AE49UL /* _IOW(KVMIO, 0x49, 160 bytes) */
#define KVM_SET_MEMORY_ATTRIBUTES     0x4020AED2UL /* _IOW(KVMIO, 0xd2, 32 bytes), VM fd */
#define KVM_CREATE_GUEST_MEMFD        0xC040AED4UL /* _IOWR(KVMIO, 0xd4, 64 bytes), VM fd */
#define KVM_SET_MEMORY_ATTRIBUTES2    0xC080AED2UL /* in-place conversion v8, guest_memfd fd */
#define KVM_GMEM_CONVERT_SHARED       0xC040AF41UL /* RFC v2, guest_memfd fd */
#define KVM_GMEM_CONVERT_PRIVATE      0xC040AF42UL /* RFC v2, guest_memfd fd */
#define KVM_CHECK_EXTENSION           _IO(KVMIO, 0x03)
#define KVM_GET_VCPU_MMAP_SIZE        _IO(KVMIO, 0x04)
#define KVM_GET_SUPPORTED_CPUID       0xC008AE05UL /* _IOWR(KVMIO, 0x05, struct kvm_cpuid2) */
#define KVM_CREATE_VCPU               _IO(KVMIO, 0x41)
#define KVM_RUN                       _IO(KVMIO, 0x80)
#define KVM_GET_REGS                  0x8090AE81UL /* _IOR(KVMIO, 0x81, 144 bytes) */
#define KVM_SET_REGS                  0x4090AE82UL /* _IOW(KVMIO, 0x82, 144 bytes) */
#define KVM_GET_SREGS                 0x8138AE83UL /* _IOR(KVMIO, 0x83, 312 bytes) */
#define KVM_SET_SREGS                 0x4138AE84UL /* _IOW(KVMIO, 0x84, 312 bytes) */
#define KVM_SET_CPUID2                0x4008AE90UL /* _IOW(KVMIO, 0x90, struct kvm_cpuid2) */
#define KVM_ENABLE_CAP                0x4068AEA3UL /* _IOW(KVMIO, 0xa3, 104 bytes) */
#define KVM_CAP_EXIT_HYPERCALL        201
#define KVM_HC_MAP_GPA_RANGE          12
#define KVM_MAP_GPA_RANGE_ENCRYPTED   (1ULL << 4)
#define KVM_ENOSYS                    1000
#define KVM_EXIT_EXCEPTION            1
#define KVM_EXIT_IO                   2
#define KVM_EXIT_HYPERCALL            3
#define KVM_EXIT_HLT                  5
#define KVM_EXIT_MMIO                 6
#define KVM_EXIT_SHUTDOWN             8
#define KVM_EXIT_FAIL_ENTRY           9
#define KVM_EXIT_INTR                 10
#define KVM_EXIT_INTERNAL_ERROR       17
#define KVM_EXIT_MEMORY_FAULT         39
#define KVM_EXIT_IO_OUT               1
#define KVM_MEMORY_EXIT_FLAG_PRIVATE  (1ULL << 3)
#define KVM_MEM_GUEST_MEMFD           (1U << 2)
#define KVM_MEMORY_ATTRIBUTE_PRIVATE  (1ULL << 3)

struct kvm_create_guest_memfd {
	uint64_t size;
	uint64_t flags;
	uint64_t reserved[6];
};

struct kvm_userspace_memory_region2 {
	uint32_t slot;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
	uint64_t guest_memfd_offset;
	uint32_t guest_memfd;
	uint32_t pad1;
	uint64_t pad2[14];
};

struct kvm_memory_attributes {
	uint64_t address;
	uint64_t size;
	uint64_t attributes;
	uint64_t flags;
};

struct kvm_memory_attributes2 {
	uint64_t offset; /* union with address */
	uint64_t size;
	uint64_t attributes;
	uint64_t flags;
	uint64_t error_offset;
	uint64_t reserved[11];
};

struct kvm_gmem_convert {
	uint64_t offset;
	uint64_t size;
	uint64_t error_offset;
	uint64_t reserved[5];
};

struct kvm_enable_cap {
	uint32_t cap;
	uint32_t flags;
	uint64_t args[4];
	uint8_t pad[64];
};

struct kvm_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
};

struct kvm_segment {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint8_t type, present, dpl, db, s, l, g, avl, unusable, padding;
};

struct kvm_dtable {
	uint64_t base;
	uint16_t limit;
	uint16_t padding[3];
};

struct kvm_sregs {
	struct kvm_segment cs, ds, es, fs, gs, ss, tr, ldt;
	struct kvm_dtable gdt, idt;
	uint64_t cr0, cr2, cr3, cr4, cr8, efer, apic_base;
	uint64_t interrupt_bitmap[4];
};

struct kvm_cpuid_entry2 {
	uint32_t function, index, flags, eax, ebx, ecx, edx, padding[3];
};

#define CPUID_ENTRIES 256
struct kvm_cpuid2 {
	uint32_t nent;
	uint32_t padding;
	struct kvm_cpuid_entry2 entries[CPUID_ENTRIES];
};

/* the head of the vCPU's shared kvm_run page */
struct kvm_run {
	uint8_t request_interrupt_window;
	uint8_t immediate_exit;
	uint8_t padding1[6];
	uint32_t exit_reason;
	uint8_t ready_for_interrupt_injection;
	uint8_t if_flag;
	uint16_t flags;
	uint64_t cr8;
	uint64_t apic_base;
	union {
		struct { uint8_t direction, size; uint16_t port; uint32_t count; uint64_t data_offset; } io;
		struct { uint64_t phys_addr; uint8_t data[8]; uint32_t len; uint8_t is_write; } mmio;
		struct { uint64_t nr; uint64_t args[6]; uint64_t ret; uint64_t flags; } hypercall;
		struct { uint32_t suberror; } internal;
		struct { uint64_t hardware_entry_failure_reason; uint32_t cpu; } fail_entry;
		struct { uint64_t flags, gpa, size; } memory_fault;
		char padding[256];
	};
};

_Static_assert(sizeof(struct kvm_enable_cap) == 104, "kvm_enable_cap");
_Static_assert(sizeof(struct kvm_regs) == 144, "kvm_regs");
_Static_assert(sizeof(struct kvm_sregs) == 312, "kvm_sregs");
_Static_assert(sizeof(struct kvm_cpuid_entry2) == 40, "kvm_cpuid_entry2");
_Static_assert(__builtin_offsetof(struct kvm_run, hypercall.ret) == 88, "kvm_run.hypercall.ret");
_Static_assert(__builtin_offsetof(struct kvm_run, memory_fault.size) == 48, "kvm_run.memory_fault.size");
_Static_assert(sizeof(struct kvm_create_guest_memfd) == 64, "kvm_create_guest_memfd");
_Static_assert(sizeof(struct kvm_userspace_memory_region2) == 160, "kvm_userspace_memory_region2");
_Static_assert(sizeof(struct kvm_memory_attributes) == 32, "kvm_memory_attributes");
_Static_assert(sizeof(struct kvm_memory_attributes2) == 128, "kvm_memory_attributes2");
_Static_assert(sizeof(struct kvm_gmem_convert) == 64, "kvm_gmem_convert");

/* How the edition converts (dev.gmem.api.ConversionCall). */
#define CONVERSION_NONE             0
#define CONVERSION_VM_ATTRIBUTES    1
#define CONVERSION_GMEM_CONVERT     2
#define CONVERSION_GMEM_ATTRIBUTES2 3

/* ---- observations, as dev.gmem.api.Observation ---- */
enum obs_kind {
	OBS_OK, OBS_CREATED, OBS_READ, OBS_GUEST_VALUE, OBS_FILE_SIZE, OBS_PINNED, OBS_FAILED,
	OBS_REFUSED, OBS_HOST_FAULT, OBS_MEMORY_FAULT_EXIT, OBS_MMIO_EXIT, OBS_HYPERCALL_EXIT,
	OBS_OTHER_EXIT, OBS_UNSUPPORTED,
};

/* length bytes of value */
struct run {
	uint64_t length;
	uint8_t value;
};

struct obs {
	enum obs_kind kind;
	/* the record's numbers in component order: Created(gmem), FileSize(size), Refused(errno, errorOffset),
	 * MemoryFaultExit(gpa, size, private), MmioExit(gpa, write), HypercallExit(gpa, pages, attributes, hostResult), ... */
	int64_t a, b, c, d;
	/* Read: expected bytes as runs, or the bytes read */
	const struct run *runs;
	size_t nruns;
	uint8_t *data;
	uint64_t length;
	/* OtherExit, Unsupported */
	const char *text;
	char buffer[160];
};

struct errno_name {
	int number;
	const char *name;
};

/* the errno set of the kit's API (dev.gmem.api.Errno), written by the generator */
static const struct errno_name errno_names[] = GMEM_ERRNO_NAMES;
static const size_t errno_names_count = sizeof(errno_names) / sizeof(errno_names[0]);

HELPER const char *errno_name(int number)
{
	for (size_t i = 0; i < errno_names_count; i++)
		if (errno_names[i].number == number)
			return errno_names[i].name;
	return NULL;
}

static void set_ok(struct obs *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = OBS_OK;
}

static void set_kind(struct obs *o, enum obs_kind kind, int64_t a, int64_t b, int64_t c, int64_t d)
{
	set_ok(o);
	o->kind = kind;
	o->a = a;
	o->b = b;
	o->c = c;
	o->d = d;
}

static void set_text(struct obs *o, enum obs_kind kind, const char *fmt, ...)
{
	va_list ap;

	set_ok(o);
	o->kind = kind;
	va_start(ap, fmt);
	vsnprintf(o->buffer, sizeof(o->buffer), fmt, ap);
	va_end(ap);
	o->text = o->buffer;
}

/* A failed call: Failed(errno) for the API's errnos, an OtherExit naming any other (never mapped to another). */
static void set_failed(struct obs *o, int number, const char *call)
{
	if (errno_name(number))
		set_kind(o, OBS_FAILED, number, 0, 0, 0);
	else
		set_text(o, OBS_OTHER_EXIT, "%s failed with errno %d, outside the API's errno set", call, number);
}

static void set_errno_or_ok(struct obs *o, long rc, const char *call)
{
	if (rc < 0)
		set_failed(o, errno, call);
	else
		set_ok(o);
}

/* ---- printing, in the words of the Java reports ---- */
static void print_runs(FILE *f, const struct run *runs, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		if (i == 12) {
			fprintf(f, ", ... %zu more runs", n - i);
			break;
		}
		fprintf(f, "%s%" PRIu64 "x%02x", i ? ", " : "", runs[i].length, runs[i].value);
	}
	fputc(']', f);
}

/* The bytes read, as runs (at most max_runs kept). */
static size_t data_runs(const struct obs *o, struct run *runs, size_t max_runs)
{
	size_t n = 0;

	for (uint64_t i = 0; i < o->length; i++) {
		if (n > 0 && runs[n - 1].value == o->data[i]) {
			runs[n - 1].length++;
		} else if (n < max_runs) {
			runs[n].length = 1;
			runs[n].value = o->data[i];
			n++;
		} else {
			return n + 1; /* more than max_runs */
		}
	}
	return n;
}

static void print_obs(FILE *f, const struct obs *o)
{
	switch (o->kind) {
	case OBS_OK:
		fprintf(f, "ok");
		break;
	case OBS_CREATED:
		fprintf(f, "Created[gmem=%" PRId64 "]", o->a);
		break;
	case OBS_READ:
		fprintf(f, "Read[bytes=");
		if (o->runs || !o->data) {
			print_runs(f, o->runs, o->nruns);
		} else {
			struct run runs[13];
			size_t n = data_runs(o, runs, 13);
			print_runs(f, runs, n > 13 ? 13 : n);
		}
		fprintf(f, "]");
		break;
	case OBS_GUEST_VALUE:
		fprintf(f, "GuestValue[0x%" PRIx64 "]", (uint64_t)o->a);
		break;
	case OBS_FILE_SIZE:
		fprintf(f, "FileSize[size=%" PRId64 "]", o->a);
		break;
	case OBS_PINNED:
		fprintf(f, "Pinned[pin=%" PRId64 "]", o->a);
		break;
	case OBS_FAILED:
		fprintf(f, "Failed[errno=%s]", errno_name((int)o->a) ? errno_name((int)o->a) : "?");
		break;
	case OBS_REFUSED:
		fprintf(f, "Refused[errno=%s, errorOffset=%" PRId64 "]",
			errno_name((int)o->a) ? errno_name((int)o->a) : "?", o->b);
		break;
	case OBS_HOST_FAULT:
		fprintf(f, "HostFault[offset=%" PRId64 "]", o->a);
		break;
	case OBS_MEMORY_FAULT_EXIT:
		fprintf(f, "MemoryFaultExit[gpa=0x%" PRIx64 ", size=0x%" PRIx64 ", private=%s]",
			(uint64_t)o->a, (uint64_t)o->b, o->c ? "true" : "false");
		break;
	case OBS_MMIO_EXIT:
		fprintf(f, "MmioExit[gpa=0x%" PRIx64 ", write=%s]", (uint64_t)o->a, o->b ? "true" : "false");
		break;
	case OBS_HYPERCALL_EXIT:
		fprintf(f, "HypercallExit[gpa=0x%" PRIx64 ", pages=%" PRId64 ", attributes=0x%" PRIx64 ", hostResult=%" PRId64 "]",
			(uint64_t)o->a, o->b, (uint64_t)o->c, o->d);
		break;
	case OBS_OTHER_EXIT:
		fprintf(f, "OtherExit[reason=%s]", o->text ? o->text : "");
		break;
	case OBS_UNSUPPORTED:
		fprintf(f, "Unsupported[reason=%s]", o->text ? o->text : "");
		break;
	}
}

static int read_matches(const struct obs *want, const struct obs *got)
{
	uint64_t at = 0;

	for (size_t i = 0; i < want->nruns; i++) {
		for (uint64_t k = 0; k < want->runs[i].length; k++, at++)
			if (at >= got->length || got->data[at] != want->runs[i].value)
				return 0;
	}
	return at == got->length;
}

static int obs_matches(const struct obs *want, const struct obs *got)
{
	if (want->kind != got->kind)
		return 0;
	switch (want->kind) {
	case OBS_READ:
		return read_matches(want, got);
	case OBS_OTHER_EXIT:
	case OBS_UNSUPPORTED:
		return strcmp(want->text ? want->text : "", got->text ? got->text : "") == 0;
	default:
		return want->a == got->a && want->b == got->b && want->c == got->c && want->d == got->d;
	}
}

/* ---- checking ---- */
/*
 * Step n's answer must be one the model allows: its expected observation, or the one the target
 * was seen to give where the model allowed that too (content the contract leaves open).
 */
HELPER void check(int n, const char *operation, struct obs *got, const struct obs *const *allowed, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (obs_matches(allowed[i], got)) {
			free(got->data);
			got->data = NULL;
			return;
		}
	}
	printf("step %d: %s: expected ", n, operation);
	print_obs(stdout, allowed[0]);
	for (size_t i = 1; i < count; i++) {
		printf(" or ");
		print_obs(stdout, allowed[i]);
	}
	printf(", got ");
	print_obs(stdout, got);
	printf("\n");
	exit(KSFT_FAIL);
}

static int steps_skipped;

/* A step the model answers Unsupported: the model's world did not do it, so neither does this program. */
HELPER void skipped_by_model(int n, const char *operation)
{
	printf("# step %d: %s: skipped, the model answers it Unsupported\n", n, operation);
	steps_skipped++;
}

HELPER void not_in_c(int n, const char *operation)
{
	printf("# step %d: %s: skipped, not reproduced in C (run the clause in Java)\n", n, operation);
	steps_skipped++;
}

HELPER int finish(int steps)
{
	if (steps_skipped)
		printf("# all %d checked steps matched the model; %d skipped\n", steps - steps_skipped, steps_skipped);
	else
		printf("# all %d steps matched the model: this kernel does not show the failure\n", steps);
	return KSFT_PASS;
}

/* ---- the world of one sequence: VMs, guest_memfds with the host's views, pins, memslots ---- */
#define MAX_GMEMS 64
#define MAX_PINS 256
#define MAX_SLOTS 512

/* An address range mapped by this program, unmapped when its last user lets go. */
struct mapping {
	uint8_t *address;
	uint64_t length;
	int users;
};

struct gmem {
	int fd; /* -1 once closed */
	int vm;
	uint64_t size;
	uint64_t flags;
	struct mapping *view[2]; /* both NULL when the host has no view */
};

struct pin {
	int read_fd, write_fd; /* -1 once unpinned */
};

struct slot {
	int used;
	struct mapping *memory;
	uint64_t gpa, size, offset;
	int gmem;
};

/* The vCPU of the guest steps, set up by the first one. */
struct guest {
	int started;
	char broken[200]; /* why the vCPU could not be set up; empty when it runs */
	int vcpu;
	struct kvm_run *run;
	size_t run_size;
	int needs_settle;
};

struct world {
	int kvm;
	int vm[2];
	int vm1_closed;
	struct gmem gmems[MAX_GMEMS];
	int ngmems;
	struct pin pins[MAX_PINS];
	int npins;
	struct slot slots[MAX_SLOTS];
	struct guest guest;
	pid_t pid;
};

static struct mapping *mapping_new(uint8_t *address, uint64_t length)
{
	struct mapping *m = calloc(1, sizeof(*m));

	if (!m) {
		perror("calloc");
		exit(KSFT_FAIL);
	}
	m->address = address;
	m->length = length;
	m->users = 1;
	return m;
}

static struct mapping *mapping_retain(struct mapping *m)
{
	m->users++;
	return m;
}

static void mapping_release(struct mapping *m)
{
	if (m && --m->users == 0) {
		munmap(m->address, m->length);
		free(m);
	}
}

/*
 * size bytes of fd (or of anonymous shared memory when fd is -1) with MAP_SHARED, followed by a
 * PROT_NONE guard page so that an access past the end faults. NULL with errno set on failure.
 */
static struct mapping *map_shared_with_guard(int fd, uint64_t size)
{
	uint64_t total = size + PAGE_SIZE;
	uint8_t *base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int flags = MAP_SHARED | MAP_FIXED | (fd < 0 ? MAP_ANONYMOUS | MAP_NORESERVE : 0);

	if (base == MAP_FAILED)
		return NULL;
	if (mmap(base, size, PROT_READ | PROT_WRITE, flags, fd, 0) == MAP_FAILED) {
		int e = errno;
		munmap(base, total);
		errno = e;
		return NULL;
	}
	return mapping_new(base, total);
}

static int create_vm(struct world *w)
{
	return ioctl(w->kvm, KVM_CREATE_VM, (unsigned long)GMEM_VM_TYPE);
}

/* Opens /dev/kvm and VM 0 of the edition's type; exits with KSFT_SKIP when the machine cannot. */
HELPER void world_open(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->vm[1] = -1;
	w->pid = getpid();
	w->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (w->kvm < 0) {
		printf("# SKIP: cannot open /dev/kvm (%s): run on a machine with KVM\n", strerror(errno));
		exit(KSFT_SKIP);
	}
	w->vm[0] = create_vm(w);
	if (w->vm[0] < 0) {
		printf("# SKIP: KVM_CREATE_VM(type %d) failed (%s): this kernel does not offer the %s edition's VM type\n",
		       GMEM_VM_TYPE, strerror(errno), GMEM_EDITION);
		exit(KSFT_SKIP);
	}
}

static struct gmem *open_gmem(struct world *w, int handle)
{
	if (handle < 0 || handle >= w->ngmems || w->gmems[handle].fd < 0)
		return NULL;
	return &w->gmems[handle];
}

static void ebadf(struct obs *o)
{
	set_kind(o, OBS_FAILED, EBADF, 0, 0, 0);
}

/* ---- operations ---- */

/* Create: KVM_CREATE_GUEST_MEMFD, then the host's views (two mappings, or the separate shared buffer). */
HELPER void op_create(struct world *w, int vm, uint64_t size, uint64_t flags, struct obs *o)
{
	struct kvm_create_guest_memfd args = { .size = size, .flags = flags };
	struct mapping *view0 = NULL, *view1 = NULL;
	int vmfd, fd;

	if (vm == 1 && !w->vm1_closed && w->vm[1] < 0) {
		w->vm[1] = create_vm(w);
		if (w->vm[1] < 0) {
			set_text(o, OBS_OTHER_EXIT, "cannot create the second VM: %s", strerror(errno));
			return;
		}
	}
	vmfd = (vm == 0 || vm == 1) ? w->vm[vm] : -1;
	if (vmfd < 0 || (vm == 1 && w->vm1_closed)) {
		ebadf(o);
		return;
	}
	fd = ioctl(vmfd, KVM_CREATE_GUEST_MEMFD, &args);
	if (fd < 0) {
		set_failed(o, errno, "KVM_CREATE_GUEST_MEMFD");
		return;
	}
	if (GMEM_HOST_VIEW_SEPARATE) {
		view0 = map_shared_with_guard(-1, size);
		if (!view0)
			goto unmappable;
		view1 = mapping_retain(view0);
	} else if (GMEM_MMAP_FLAG != 0 && (flags & GMEM_MMAP_FLAG)) {
		view0 = map_shared_with_guard(fd, size);
		view1 = view0 ? map_shared_with_guard(fd, size) : NULL;
		if (!view1)
			goto unmappable;
	}
	if (w->ngmems == MAX_GMEMS) {
		fprintf(stderr, "more than %d guest_memfds\n", MAX_GMEMS);
		exit(KSFT_FAIL);
	}
	w->gmems[w->ngmems] = (struct gmem){ .fd = fd, .vm = vm, .size = size, .flags = flags,
					     .view = { view0, view1 } };
	set_kind(o, OBS_CREATED, w->ngmems++, 0, 0, 0);
	return;
unmappable:
	set_text(o, OBS_OTHER_EXIT, "guest_memfd created but the host could not map it: mmap: %s", strerror(errno));
	mapping_release(view0);
	close(fd);
}

HELPER void op_close(struct world *w, int handle, struct obs *o)
{
	struct gmem *g = open_gmem(w, handle);

	if (!g) {
		ebadf(o);
		return;
	}
	close(g->fd);
	g->fd = -1;
	mapping_release(g->view[0]);
	mapping_release(g->view[1]);
	g->view[0] = g->view[1] = NULL;
	set_ok(o);
}

HELPER void op_close_vm(struct world *w, int vm, struct obs *o)
{
	if (vm == 0 && w->vm[0] >= 0) {
		close(w->vm[0]);
		w->vm[0] = -1;
		set_ok(o);
	} else if (vm == 1 && !w->vm1_closed) {
		w->vm1_closed = 1;
		if (w->vm[1] >= 0)
			close(w->vm[1]);
		w->vm[1] = -1;
		set_ok(o);
	} else {
		ebadf(o);
	}
}

HELPER void refused_or_failed(struct obs *o, int e, uint64_t error_offset, const char *call)
{
	if (e == EAGAIN)
		set_kind(o, OBS_REFUSED, EAGAIN, (int64_t)error_offset, 0, 0);
	else
		set_failed(o, e, call);
}

/* The edition's guest_memfd conversion ioctl on fd. */
HELPER void convert_file(int fd, uint64_t offset, uint64_t size, int to_private, uint64_t input_error_offset,
			 uint64_t flags, uint64_t extra_attributes, uint64_t reserved, struct obs *o)
{
#if GMEM_CONVERSION_CALL == CONVERSION_GMEM_ATTRIBUTES2
	struct kvm_memory_attributes2 a = {
		.offset = offset, .size = size,
		.attributes = (to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0) | extra_attributes,
		.flags = flags, .error_offset = input_error_offset, .reserved = { reserved },
	};

	if (ioctl(fd, KVM_SET_MEMORY_ATTRIBUTES2, &a) == 0)
		set_ok(o);
	else
		refused_or_failed(o, errno, a.error_offset, "KVM_SET_MEMORY_ATTRIBUTES2");
#elif GMEM_CONVERSION_CALL == CONVERSION_GMEM_CONVERT
	struct kvm_gmem_convert c = {
		.offset = offset, .size = size, .error_offset = input_error_offset, .reserved = { reserved },
	};

	(void)flags;
	(void)extra_attributes;
	if (ioctl(fd, to_private ? KVM_GMEM_CONVERT_PRIVATE : KVM_GMEM_CONVERT_SHARED, &c) == 0)
		set_ok(o);
	else
		refused_or_failed(o, errno, c.error_offset, "KVM_GMEM_CONVERT");
#else
	(void)fd; (void)offset; (void)size; (void)to_private; (void)input_error_offset;
	(void)flags; (void)extra_attributes; (void)reserved;
	set_text(o, OBS_UNSUPPORTED, "%s has no conversion call", GMEM_EDITION);
#endif
}

/*
 * Convert: through the edition's call; vm-attributes converts the range's canonical GPAs
 * (gpa_of_range, GuestLayout.gpa) with KVM_SET_MEMORY_ATTRIBUTES on VM 0.
 */
HELPER void op_convert(struct world *w, int handle, uint64_t offset, uint64_t size, int to_private,
		       uint64_t input_error_offset, uint64_t flags, uint64_t extra_attributes, uint64_t reserved,
		       uint64_t gpa_of_range, struct obs *o)
{
#if GMEM_CONVERSION_CALL == CONVERSION_VM_ATTRIBUTES
	struct kvm_memory_attributes a = {
		.address = gpa_of_range, .size = size,
		.attributes = (to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0) | extra_attributes, .flags = flags,
	};

	(void)offset; (void)input_error_offset; (void)reserved;
	if (handle < 0 || handle >= w->ngmems || w->vm[0] < 0) {
		ebadf(o);
		return;
	}
	set_errno_or_ok(o, ioctl(w->vm[0], KVM_SET_MEMORY_ATTRIBUTES, &a), "KVM_SET_MEMORY_ATTRIBUTES");
#else
	struct gmem *g = open_gmem(w, handle);

	(void)gpa_of_range;
	if (!g) {
		ebadf(o);
		return;
	}
	convert_file(g->fd, offset, size, to_private, input_error_offset, flags, extra_attributes, reserved, o);
#endif
}

/* Mmap: maps the whole file with the asked kind and unmaps it at once. */
HELPER void op_mmap(struct world *w, int handle, int prot, int flags, struct obs *o)
{
	struct gmem *g = open_gmem(w, handle);
	uint64_t length;
	void *p;

	if (!g) {
		ebadf(o);
		return;
	}
	length = g->size > PAGE_SIZE ? g->size : PAGE_SIZE;
	p = mmap(NULL, length, prot, flags, g->fd, 0);
	if (p == MAP_FAILED) {
		set_failed(o, errno, "mmap");
		return;
	}
	munmap(p, length);
	set_ok(o);
}

/* The guest_memfd and its view, or NULL with the observation that says why there is none. */
static struct gmem *host_view(struct world *w, int handle, int view, struct obs *o)
{
	struct gmem *g = open_gmem(w, handle);

	if (!g) {
		ebadf(o);
		return NULL;
	}
	if (!g->view[0]) {
		set_kind(o, OBS_FAILED, ENODEV, 0, 0, 0);
		return NULL;
	}
	if (view < 0 || view > 1) {
		set_kind(o, OBS_FAILED, EINVAL, 0, 0, 0);
		return NULL;
	}
	return g;
}

static void host_fault(struct obs *o, uint64_t offset, uint64_t done)
{
	uint64_t at = offset + done;
	uint64_t page = at - at % PAGE_SIZE;

	set_kind(o, OBS_HOST_FAULT, (int64_t)(page > offset ? page : offset), 0, 0, 0);
}

/*
 * Copies [address, address + n) of this process into or out of buf with process_vm_readv /
 * process_vm_writev, one page per call so that a fault is located to its page: bytes copied.
 */
static uint64_t host_copy(struct world *w, int write, uint8_t *address, uint8_t *buf, uint64_t n)
{
	uint64_t done = 0;

	while (done < n) {
		uint64_t at = (uint64_t)(uintptr_t)(address + done);
		uint64_t len = PAGE_SIZE - at % PAGE_SIZE;
		struct iovec local, remote;
		ssize_t r;

		if (len > n - done)
			len = n - done;
		local.iov_base = buf + done;
		local.iov_len = len;
		remote.iov_base = address + done;
		remote.iov_len = len;
		r = write ? process_vm_writev(w->pid, &local, 1, &remote, 1, 0)
			  : process_vm_readv(w->pid, &local, 1, &remote, 1, 0);
		if (r < 0)
			return done;
		done += (uint64_t)r;
		if ((uint64_t)r < len)
			return done;
	}
	return done;
}

/* HostRead: reads length bytes at offset through view, without touching the page from this program. */
HELPER void op_host_read(struct world *w, int handle, uint64_t offset, uint64_t length, int view, struct obs *o)
{
	struct gmem *g = host_view(w, handle, view, o);
	uint64_t in_file, copied;
	uint8_t *buf;

	if (!g)
		return;
	if ((int64_t)offset < 0 || (int64_t)length < 0) {
		set_kind(o, OBS_FAILED, EINVAL, 0, 0, 0);
		return;
	}
	set_ok(o);
	o->kind = OBS_READ;
	if (length == 0)
		return;
	if (offset >= g->size) {
		set_kind(o, OBS_HOST_FAULT, (int64_t)offset, 0, 0, 0);
		return;
	}
	in_file = length < g->size - offset ? length : g->size - offset;
	buf = malloc(in_file);
	if (!buf) {
		perror("malloc");
		exit(KSFT_FAIL);
	}
	copied = host_copy(w, 0, g->view[view]->address + offset, buf, in_file);
	if (copied < in_file) {
		free(buf);
		host_fault(o, offset, copied);
		return;
	}
	if (in_file < length) {
		free(buf);
		set_kind(o, OBS_HOST_FAULT, (int64_t)g->size, 0, 0, 0);
		return;
	}
	o->data = buf;
	o->length = in_file;
}

/* HostWrite: every page is probed first, so a write that would fault anywhere writes nothing. */
HELPER void op_host_write(struct world *w, int handle, uint64_t offset, uint64_t length, uint8_t fill, int view,
			  struct obs *o)
{
	struct gmem *g = host_view(w, handle, view, o);
	uint64_t in_file, copied;
	uint8_t *buf;

	if (!g)
		return;
	if ((int64_t)offset < 0 || (int64_t)length < 0) {
		set_kind(o, OBS_FAILED, EINVAL, 0, 0, 0);
		return;
	}
	if (length == 0) {
		set_ok(o);
		return;
	}
	if (offset >= g->size) {
		set_kind(o, OBS_HOST_FAULT, (int64_t)offset, 0, 0, 0);
		return;
	}
	in_file = length < g->size - offset ? length : g->size - offset;
	buf = malloc(in_file);
	if (!buf) {
		perror("malloc");
		exit(KSFT_FAIL);
	}
	copied = host_copy(w, 0, g->view[view]->address + offset, buf, in_file);
	if (copied < in_file) {
		host_fault(o, offset, copied);
	} else if (in_file < length) {
		set_kind(o, OBS_HOST_FAULT, (int64_t)g->size, 0, 0, 0);
	} else {
		memset(buf, fill, in_file);
		copied = host_copy(w, 1, g->view[view]->address + offset, buf, in_file);
		if (copied < in_file)
			host_fault(o, offset, copied);
		else
			set_ok(o);
	}
	free(buf);
}

/* Pin: vmsplice of view 0's pages into a fresh pipe holds a reference on each until the pipe closes. */
HELPER void op_pin(struct world *w, int handle, uint64_t offset, uint64_t length, struct obs *o)
{
	struct gmem *g = host_view(w, handle, 0, o);
	uint64_t in_file, done = 0;
	int fds[2];

	if (!g)
		return;
	if ((int64_t)offset < 0 || (int64_t)length < 0) {
		set_kind(o, OBS_FAILED, EINVAL, 0, 0, 0);
		return;
	}
	if (offset >= g->size && length > 0) {
		set_kind(o, OBS_HOST_FAULT, (int64_t)offset, 0, 0, 0);
		return;
	}
	in_file = length < g->size - offset ? length : g->size - offset;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		set_failed(o, errno, "pipe2");
		return;
	}
	if (in_file > 65536) {
		uint64_t want = 1;

		while (want < in_file)
			want <<= 1;
		if (fcntl(fds[1], F_SETPIPE_SZ, (int)(want > 0x7fffffff ? 0x7fffffff : want)) < 0) {
			set_failed(o, errno, "fcntl(F_SETPIPE_SZ)");
			close(fds[0]);
			close(fds[1]);
			return;
		}
	}
	while (done < in_file) {
		struct iovec iov = { g->view[0]->address + offset + done, in_file - done };
		ssize_t n = vmsplice(fds[1], &iov, 1, 0);

		if (n <= 0) {
			int e = n < 0 ? errno : EAGAIN;

			close(fds[0]);
			close(fds[1]);
			if (e == EFAULT)
				host_fault(o, offset, done);
			else
				set_failed(o, e, "vmsplice");
			return;
		}
		done += (uint64_t)n;
	}
	if (in_file < length) {
		close(fds[0]);
		close(fds[1]);
		set_kind(o, OBS_HOST_FAULT, (int64_t)g->size, 0, 0, 0);
		return;
	}
	if (w->npins == MAX_PINS) {
		fprintf(stderr, "more than %d pins\n", MAX_PINS);
		exit(KSFT_FAIL);
	}
	w->pins[w->npins] = (struct pin){ fds[0], fds[1] };
	set_kind(o, OBS_PINNED, w->npins++, 0, 0, 0);
}

HELPER void op_unpin(struct world *w, int pin, struct obs *o)
{
	if (pin < 0 || pin >= w->npins || w->pins[pin].read_fd < 0) {
		ebadf(o);
		return;
	}
	close(w->pins[pin].read_fd);
	close(w->pins[pin].write_fd);
	w->pins[pin].read_fd = w->pins[pin].write_fd = -1;
	set_ok(o);
}

/* PunchHole and Allocate: fallocate with mode. */
HELPER void op_fallocate(struct world *w, int handle, int mode, uint64_t offset, uint64_t length, struct obs *o)
{
	struct gmem *g = open_gmem(w, handle);

	if (!g) {
		ebadf(o);
		return;
	}
	set_errno_or_ok(o, fallocate(g->fd, mode, (off_t)offset, (off_t)length), "fallocate");
}

enum file_call { FILE_READ, FILE_WRITE, FILE_PREAD, FILE_PWRITE, FILE_FTRUNCATE, FILE_LSEEK };

/* FileCall: a file system call guest_memfd refuses. */
HELPER void op_file_call(struct world *w, int handle, enum file_call call, struct obs *o)
{
	static const char *const names[] = { "read", "write", "pread", "pwrite", "ftruncate", "lseek" };
	struct gmem *g = open_gmem(w, handle);
	char buf[8] = { 0 };
	long rc = 0;

	if (!g) {
		ebadf(o);
		return;
	}
	switch (call) {
	case FILE_READ: rc = read(g->fd, buf, sizeof(buf)); break;
	case FILE_WRITE: rc = write(g->fd, buf, sizeof(buf)); break;
	case FILE_PREAD: rc = pread(g->fd, buf, sizeof(buf), 0); break;
	case FILE_PWRITE: rc = pwrite(g->fd, buf, sizeof(buf), 0); break;
	case FILE_FTRUNCATE: rc = ftruncate(g->fd, (off_t)g->size); break;
	case FILE_LSEEK: rc = lseek(g->fd, 0, SEEK_SET); break;
	}
	set_errno_or_ok(o, rc, names[call]);
}

/* Stat: fstat's st_size. */
HELPER void op_stat(struct world *w, int handle, struct obs *o)
{
	struct gmem *g = open_gmem(w, handle);
	struct stat st;

	if (!g) {
		ebadf(o);
		return;
	}
	if (fstat(g->fd, &st) < 0) {
		set_failed(o, errno, "fstat");
		return;
	}
	set_kind(o, OBS_FILE_SIZE, (int64_t)st.st_size, 0, 0, 0);
}

/*
 * Bind: KVM_SET_USER_MEMORY_REGION2 with KVM_MEM_GUEST_MEMFD in VM 0; userspace_addr is the host's
 * view 0 at the offset when there is one, else fresh anonymous memory.
 */
HELPER void op_bind(struct world *w, int slot, int handle, uint64_t offset, uint64_t size, uint64_t gpa,
		    struct obs *o)
{
	struct gmem *g = open_gmem(w, handle);
	struct kvm_userspace_memory_region2 r = {
		.slot = (uint32_t)slot, .flags = KVM_MEM_GUEST_MEMFD, .guest_phys_addr = gpa, .memory_size = size,
		.guest_memfd_offset = offset,
	};
	struct mapping *memory;

	if (w->vm[0] < 0 || !g) {
		ebadf(o);
		return;
	}
	if (g->view[0]) {
		memory = mapping_retain(g->view[0]);
		r.userspace_addr = (uint64_t)(uintptr_t)(g->view[0]->address + offset);
	} else {
		int sane = size > 0 && size % PAGE_SIZE == 0 && size <= (1ULL << 40);
		uint64_t length = sane ? size : PAGE_SIZE;
		void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED) {
			set_text(o, OBS_OTHER_EXIT, "adapter setup failed: mmap(anonymous): %s", strerror(errno));
			return;
		}
		memory = mapping_new(p, length);
		r.userspace_addr = (uint64_t)(uintptr_t)p;
	}
	r.guest_memfd = (uint32_t)g->fd;
	if (ioctl(w->vm[0], KVM_SET_USER_MEMORY_REGION2, &r) < 0) {
		set_failed(o, errno, "KVM_SET_USER_MEMORY_REGION2");
		mapping_release(memory);
		return;
	}
	if (slot >= 0 && slot < MAX_SLOTS) {
		if (w->slots[slot].used)
			mapping_release(w->slots[slot].memory);
		w->slots[slot] = (struct slot){ .used = 1, .memory = memory, .gpa = gpa, .size = size,
						.offset = offset, .gmem = handle };
	}
	set_ok(o);
}

/* Unbind: deletes the memslot (memory_size 0). */
HELPER void op_unbind(struct world *w, int slot, struct obs *o)
{
	struct kvm_userspace_memory_region2 r = { .slot = (uint32_t)slot };

	if (w->vm[0] < 0) {
		ebadf(o);
		return;
	}
	if (ioctl(w->vm[0], KVM_SET_USER_MEMORY_REGION2, &r) < 0) {
		set_failed(o, errno, "KVM_SET_USER_MEMORY_REGION2(delete)");
		return;
	}
	if (slot >= 0 && slot < MAX_SLOTS && w->slots[slot].used) {
		mapping_release(w->slots[slot].memory);
		w->slots[slot].used = 0;
	}
	set_ok(o);
}

/*
 * ---- the guest: one vCPU in a flat 64-bit mode with identity paging (2 MiB pages) up to the end of
 * the canonical guest_memfd windows, its code, stack and page tables in an ordinary memslot at GPA 0,
 * as the kernel's KVM selftests set a guest up. Each guest step enters one of three entry points
 * with the GPA in rsi; the guest reports completion with "out 0xe9, al" and halts.
 */
#define GUEST_SLOT       32000
#define GUEST_IMAGE_SIZE 0x10000ULL
#define GUEST_PML4       0x1000ULL
#define GUEST_PDPT       0x2000ULL
#define GUEST_PD         0x3000ULL
#define GUEST_CODE       0x8000ULL
#define GUEST_STACK_TOP  0xF000ULL
#define GUEST_ENTRY_READ      (GUEST_CODE)        /* mov rax, [rsi]; out 0xe9, al; hlt */
#define GUEST_ENTRY_WRITE     (GUEST_CODE + 0x10) /* mov [rsi], rdx; out 0xe9, al; hlt */
#define GUEST_ENTRY_HYPERCALL (GUEST_CODE + 0x20) /* vmcall/vmmcall; out 0xe9, al; hlt */
#define GUEST_REPORT_PORT 0xE9
#ifndef GUEST_TIMEOUT_SECONDS /* -DGUEST_TIMEOUT_SECONDS=20 inside an emulated VM on a busy host */
#define GUEST_TIMEOUT_SECONDS 2
#endif
#define PTE_PRESENT 1ULL
#define PTE_WRITE   2ULL
#define PTE_LARGE   0x80ULL
#define LARGE_PAGE  (2ULL << 20)

static struct kvm_run *watchdog_run;

static void watchdog(int signal)
{
	(void)signal;
	if (watchdog_run)
		watchdog_run->immediate_exit = 1;
}

static int cpu_is_amd(void)
{
	char line[256];
	int amd = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return 0;
	while (!amd && fgets(line, sizeof(line), f))
		amd = strstr(line, "AuthenticAMD") != NULL;
	fclose(f);
	return amd;
}

static void segment(struct kvm_segment *seg, uint16_t selector, uint8_t type, uint8_t s, uint8_t db, uint8_t l)
{
	*seg = (struct kvm_segment){ .base = 0, .limit = 0xffffffff, .selector = selector, .type = type,
				     .present = 1, .dpl = 0, .db = db, .s = s, .l = l, .g = 1 };
}

static int guest_fail(struct world *w, const char *what)
{
	snprintf(w->guest.broken, sizeof(w->guest.broken), "the vCPU could not be set up: %s: %s", what,
		 strerror(errno));
	return -1;
}

static int guest_start(struct world *w, uint64_t windows_end)
{
	struct guest *g = &w->guest;
	static const uint8_t read_code[] = { 0x48, 0x8B, 0x06, 0xE6, 0xE9, 0xF4, 0xEB, 0xFD };
	static const uint8_t write_code[] = { 0x48, 0x89, 0x16, 0xE6, 0xE9, 0xF4, 0xEB, 0xFD };
	uint8_t hypercall_code[] = { 0x0F, 0x01, 0xC1, 0xE6, 0xE9, 0xF4, 0xEB, 0xFD };
	struct kvm_userspace_memory_region2 region = { .slot = GUEST_SLOT, .memory_size = GUEST_IMAGE_SIZE };
	struct kvm_cpuid2 *cpuid;
	struct kvm_sregs sregs;
	struct sigaction act;
	uint64_t *table;
	uint8_t *low;
	long caps;
	int mmap_size;

	g->started = 1;
	g->vcpu = -1;
	low = mmap(NULL, GUEST_IMAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (low == MAP_FAILED)
		return guest_fail(w, "mmap(guest image)");
	table = (uint64_t *)(low + GUEST_PML4);
	table[0] = GUEST_PDPT | PTE_PRESENT | PTE_WRITE;
	table = (uint64_t *)(low + GUEST_PDPT);
	for (uint64_t d = 0; d < (windows_end + (1ULL << 30) - 1) >> 30; d++)
		table[d] = (GUEST_PD + PAGE_SIZE * d) | PTE_PRESENT | PTE_WRITE;
	table = (uint64_t *)(low + GUEST_PD);
	for (uint64_t i = 0; i < (windows_end + LARGE_PAGE - 1) / LARGE_PAGE; i++)
		table[i] = i * LARGE_PAGE | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
	if (cpu_is_amd())
		hypercall_code[2] = 0xD9; /* vmmcall */
	memcpy(low + GUEST_ENTRY_READ, read_code, sizeof(read_code));
	memcpy(low + GUEST_ENTRY_WRITE, write_code, sizeof(write_code));
	memcpy(low + GUEST_ENTRY_HYPERCALL, hypercall_code, sizeof(hypercall_code));
	region.userspace_addr = (uint64_t)(uintptr_t)low;
	if (w->vm[0] < 0) {
		errno = EBADF;
		return guest_fail(w, "VM 0 is closed");
	}
	if (ioctl(w->vm[0], KVM_SET_USER_MEMORY_REGION2, &region) < 0)
		return guest_fail(w, "KVM_SET_USER_MEMORY_REGION2(guest image)");
	caps = ioctl(w->vm[0], KVM_CHECK_EXTENSION, KVM_CAP_EXIT_HYPERCALL);
	if (caps > 0 && (caps & (1L << KVM_HC_MAP_GPA_RANGE))) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_EXIT_HYPERCALL, .args = { 1ULL << KVM_HC_MAP_GPA_RANGE } };

		if (ioctl(w->vm[0], KVM_ENABLE_CAP, &cap) < 0)
			return guest_fail(w, "KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL)");
	}
	g->vcpu = ioctl(w->vm[0], KVM_CREATE_VCPU, 0);
	if (g->vcpu < 0)
		return guest_fail(w, "KVM_CREATE_VCPU");
	mmap_size = ioctl(w->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(struct kvm_run))
		return guest_fail(w, "KVM_GET_VCPU_MMAP_SIZE");
	g->run_size = (size_t)mmap_size;
	g->run = mmap(NULL, g->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
	if (g->run == MAP_FAILED) {
		g->run = NULL;
		return guest_fail(w, "mmap(kvm_run)");
	}
	cpuid = calloc(1, sizeof(*cpuid));
	if (!cpuid)
		return guest_fail(w, "calloc");
	cpuid->nent = CPUID_ENTRIES;
	if (ioctl(w->kvm, KVM_GET_SUPPORTED_CPUID, cpuid) < 0)
		return guest_fail(w, "KVM_GET_SUPPORTED_CPUID");
	if (ioctl(g->vcpu, KVM_SET_CPUID2, cpuid) < 0)
		return guest_fail(w, "KVM_SET_CPUID2");
	free(cpuid);
	if (ioctl(g->vcpu, KVM_GET_SREGS, &sregs) < 0)
		return guest_fail(w, "KVM_GET_SREGS");
	sregs.cr0 = 1ULL | (1ULL << 5) | (1ULL << 31); /* PE | NE | PG */
	sregs.cr3 = GUEST_PML4;
	sregs.cr4 = 1ULL << 5;                         /* PAE */
	sregs.efer = (1ULL << 8) | (1ULL << 10);       /* LME | LMA */
	segment(&sregs.cs, 0x8, 11, 1, 0, 1);
	segment(&sregs.ds, 0x10, 3, 1, 1, 0);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	segment(&sregs.tr, 0x18, 11, 0, 0, 0);
	sregs.tr.limit = 0x67;
	sregs.tr.g = 0;
	if (ioctl(g->vcpu, KVM_SET_SREGS, &sregs) < 0)
		return guest_fail(w, "KVM_SET_SREGS");
	memset(&act, 0, sizeof(act));
	act.sa_handler = watchdog;
	sigaction(SIGALRM, &act, NULL);
	watchdog_run = g->run;
	return 0;
}

/* Lets KVM finish an exit still pending (an I/O or MMIO completion) before new registers are set. */
static void guest_settle(struct guest *g)
{
	if (!g->needs_settle)
		return;
	g->run->immediate_exit = 1;
	ioctl(g->vcpu, KVM_RUN, 0);
	g->run->immediate_exit = 0;
	g->needs_settle = 0;
}

/* What the host does when the guest asks to convert: 0 or minus an errno for the guest. */
static int64_t host_policy(struct world *w, uint64_t gpa, uint64_t size, int to_private)
{
#if GMEM_CONVERSION_CALL == CONVERSION_VM_ATTRIBUTES
	struct kvm_memory_attributes a = { .address = gpa, .size = size,
					   .attributes = to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0 };

	return ioctl(w->vm[0], KVM_SET_MEMORY_ATTRIBUTES, &a) < 0 ? -errno : 0;
#else
	struct obs o;

	for (int i = 0; i < MAX_SLOTS; i++) {
		struct slot *s = &w->slots[i];
		struct gmem *g;

		if (!s->used || gpa < s->gpa || gpa + size > s->gpa + s->size)
			continue;
		g = open_gmem(w, s->gmem);
		if (!g)
			return -EBADF;
		convert_file(g->fd, s->offset + (gpa - s->gpa), size, to_private, 0, 0, 0, 0, &o);
		if (o.kind == OBS_OK)
			return 0;
		if (o.kind == OBS_REFUSED)
			return -EAGAIN;
		if (o.kind == OBS_FAILED)
			return -o.a;
		return -EINVAL;
	}
	return -EINVAL;
#endif
}

enum guest_kind { GUEST_READ, GUEST_WRITE, GUEST_HYPERCALL };

static void guest_perform(struct world *w, enum guest_kind kind, uint64_t entry, struct kvm_regs *regs, struct obs *o)
{
	struct guest *g = &w->guest;
	int hypercall_seen = 0;

	if (!g->started)
		guest_start(w, GMEM_WINDOWS_END);
	if (g->broken[0]) {
		set_text(o, OBS_OTHER_EXIT, "%s", g->broken);
		return;
	}
	guest_settle(g);
	regs->rip = entry;
	regs->rsp = GUEST_STACK_TOP;
	regs->rflags = 2;
	if (ioctl(g->vcpu, KVM_SET_REGS, regs) < 0) {
		set_text(o, OBS_OTHER_EXIT, "KVM_SET_REGS failed: %s", errno_name(errno) ? errno_name(errno) : "?");
		return;
	}
	for (;;) {
		struct kvm_run *run = g->run;
		int rc, e;

		run->immediate_exit = 0;
		alarm(GUEST_TIMEOUT_SECONDS);
		rc = ioctl(g->vcpu, KVM_RUN, 0);
		e = errno;
		alarm(0);
		g->needs_settle = 1;
		if (rc < 0) {
			if ((e == EFAULT || e == 133 /* EHWPOISON */) && run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
				set_kind(o, OBS_MEMORY_FAULT_EXIT, (int64_t)run->memory_fault.gpa,
					 (int64_t)run->memory_fault.size,
					 (run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE) != 0, 0);
			} else if (e == EINTR) {
				set_text(o, OBS_OTHER_EXIT, "watchdog: the guest did not come back within %d ms",
					 GUEST_TIMEOUT_SECONDS * 1000);
			} else {
				set_text(o, OBS_OTHER_EXIT, "KVM_RUN failed with %s (exit reason %u)",
					 errno_name(e) ? errno_name(e) : "?", run->exit_reason);
			}
			return;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.port == GUEST_REPORT_PORT && run->io.direction == KVM_EXIT_IO_OUT)
				goto reported;
			set_text(o, OBS_OTHER_EXIT, "IO exit on port 0x%x (%s)", run->io.port,
				 run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in");
			return;
		case KVM_EXIT_MMIO:
			set_kind(o, OBS_MMIO_EXIT, (int64_t)run->mmio.phys_addr, run->mmio.is_write != 0, 0, 0);
			return;
		case KVM_EXIT_MEMORY_FAULT:
			set_kind(o, OBS_MEMORY_FAULT_EXIT, (int64_t)run->memory_fault.gpa, (int64_t)run->memory_fault.size,
				 (run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE) != 0, 0);
			return;
		case KVM_EXIT_HYPERCALL: {
			uint64_t *args = run->hypercall.args;
			int64_t ret = -KVM_ENOSYS;

			if (run->hypercall.nr == KVM_HC_MAP_GPA_RANGE && kind == GUEST_HYPERCALL) {
				ret = host_policy(w, args[0], args[1] * PAGE_SIZE, (args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED) != 0);
				set_kind(o, OBS_HYPERCALL_EXIT, (int64_t)args[0], (int64_t)args[1], (int64_t)args[2], ret);
				hypercall_seen = 1;
			}
			run->hypercall.ret = (uint64_t)ret;
			continue;
		}
		case KVM_EXIT_INTR:
			set_text(o, OBS_OTHER_EXIT, "watchdog: the guest did not come back within %d ms",
				 GUEST_TIMEOUT_SECONDS * 1000);
			return;
		case KVM_EXIT_HLT:
			set_text(o, OBS_OTHER_EXIT, "HLT before the guest reported");
			return;
		case KVM_EXIT_SHUTDOWN:
			set_text(o, OBS_OTHER_EXIT, "SHUTDOWN (triple fault)");
			return;
		case KVM_EXIT_INTERNAL_ERROR:
			set_text(o, OBS_OTHER_EXIT, "INTERNAL_ERROR suberror %u", run->internal.suberror);
			return;
		case KVM_EXIT_FAIL_ENTRY:
			set_text(o, OBS_OTHER_EXIT, "FAIL_ENTRY hardware reason 0x%" PRIx64,
				 run->fail_entry.hardware_entry_failure_reason);
			return;
		case KVM_EXIT_EXCEPTION:
			set_text(o, OBS_OTHER_EXIT, "EXCEPTION exit");
			return;
		default:
			set_text(o, OBS_OTHER_EXIT, "unexpected exit reason %u", run->exit_reason);
			return;
		}
	}
reported:
	if (ioctl(g->vcpu, KVM_GET_REGS, regs) < 0) {
		set_text(o, OBS_OTHER_EXIT, "KVM_GET_REGS failed: %s", errno_name(errno) ? errno_name(errno) : "?");
		return;
	}
	switch (kind) {
	case GUEST_READ:
		set_kind(o, OBS_GUEST_VALUE, (int64_t)regs->rax, 0, 0, 0);
		break;
	case GUEST_WRITE:
		set_ok(o);
		break;
	case GUEST_HYPERCALL:
		if (!hypercall_seen)
			set_text(o, OBS_OTHER_EXIT, "vmcall did not exit to the host (KVM_EXIT_HYPERCALL never came;"
				 " the kernel answered rax=%" PRId64 ")", (int64_t)regs->rax);
		break;
	}
}

/* GuestRead: the vCPU loads 8 bytes at gpa. */
HELPER void op_guest_read(struct world *w, uint64_t gpa, struct obs *o)
{
	struct kvm_regs regs = { .rsi = gpa };

	guest_perform(w, GUEST_READ, GUEST_ENTRY_READ, &regs, o);
}

/* GuestWrite: the vCPU stores the 8-byte value at gpa. */
HELPER void op_guest_write(struct world *w, uint64_t gpa, uint64_t value, struct obs *o)
{
	struct kvm_regs regs = { .rsi = gpa, .rdx = value };

	guest_perform(w, GUEST_WRITE, GUEST_ENTRY_WRITE, &regs, o);
}

/* GuestRequestConversion: KVM_HC_MAP_GPA_RANGE(gpa, pages, attributes); the host converts and answers. */
HELPER void op_guest_request_conversion(struct world *w, uint64_t gpa, uint64_t size, int to_private, struct obs *o)
{
	struct kvm_regs regs = {
		.rax = KVM_HC_MAP_GPA_RANGE, .rbx = gpa, .rcx = size / PAGE_SIZE,
		.rdx = to_private ? KVM_MAP_GPA_RANGE_ENCRYPTED : 0,
	};

	guest_perform(w, GUEST_HYPERCALL, GUEST_ENTRY_HYPERCALL, &regs, o);
}
