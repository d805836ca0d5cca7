/*@ head */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE_SIZE 4096ULL
#define KVMIO 0xAE /* include/uapi/linux/kvm.h, x86_64 */
#define KVM_CREATE_VM                 _IO(KVMIO, 0x01)
#define KVM_CHECK_EXTENSION           _IO(KVMIO, 0x03)
#define NEED(ok, ...) do { if (!(ok)) printf("SKIP: " __VA_ARGS__), puts(""), exit(4); } while (0) /* KSFT_SKIP */
#define said(...) snprintf(got, sizeof(got), __VA_ARGS__)
#define failed(e) said("Failed[errno=%s]", strerrorname_np(e) ? strerrorname_np(e) : strerror(e))
#define ok_or_failed(rc) ((rc) < 0 ? failed(errno) : said("ok"))

static char got[65536]; /* what the kernel answered, in the words of the kit's reports */

/* Step n must answer what the model expects (or also, an answer it allows too), else this has shown the failure */
static void expect(int n, const char *operation, const char *expected, const char *also)
{
	if (strcmp(got, expected) == 0 || (also && strcmp(got, also) == 0))
		return;
	printf("step %d: %s: expected %s%s%s, got %s\n", n, operation, expected, also ? " or " : "", also ? also : "", got);
	exit(1);
}

/*@ create */
#define KVM_CREATE_GUEST_MEMFD        0xC040AED4UL /* _IOWR(KVMIO, 0xd4, 64 bytes), VM fd */
struct kvm_create_guest_memfd { uint64_t size, flags, reserved[6]; };
#define create_gmem(vm, bytes, with) ioctl(vm, KVM_CREATE_GUEST_MEMFD, &(struct kvm_create_guest_memfd){ .size = (bytes), .flags = (with) })

/*@ mappable */
#define KVM_CAP_GUEST_MEMFD_FLAGS     244

/*@ view */
/* size bytes of fd (anonymous shared memory for fd -1), then a PROT_NONE guard page; NULL if it cannot be mapped */
static uint8_t *map_view(int fd, uint64_t size)
{
	uint8_t *base = mmap(NULL, size + PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int flags = MAP_SHARED | MAP_FIXED | (fd < 0 ? MAP_ANONYMOUS | MAP_NORESERVE : 0);

	if (base != MAP_FAILED && mmap(base, size, PROT_READ | PROT_WRITE, flags, fd, 0) != MAP_FAILED)
		return base;
	said("OtherExit[reason=guest_memfd created but the host could not map it: mmap: %s]", strerror(errno));
	return NULL;
}

/*@ host-fault */
#include <sys/uio.h>

/* 1 with got = the HostFault of a copy of [offset, offset + length) of a size-byte file that stopped after done bytes */
static int host_fault(uint64_t size, uint64_t offset, uint64_t length, uint64_t done)
{
	uint64_t page = (offset + done) - (offset + done) % PAGE_SIZE;

	if (done < length) /* at the page that failed, or at the end of the file */
		said("HostFault[offset=%" PRIu64 "]", offset >= size || offset + done < size ? (page > offset ? page : offset) : size);
	return done < length;
}

/*@ host-copy: host-fault */
/* n bytes between buf and address with process_vm_readv/writev, a page per call: a page the host
 * may not touch (private) answers EFAULT instead of raising SIGBUS. Returns the bytes copied. */
static uint64_t host_copy(int write, uint8_t *address, uint8_t *buf, uint64_t n)
{
	uint64_t done = 0, len;
	ssize_t r = 1;

	for (struct iovec local, remote; done < n && r > 0; done += r > 0 ? (uint64_t)r : 0) {
		len = PAGE_SIZE - (uint64_t)(uintptr_t)(address + done) % PAGE_SIZE;
		local = (struct iovec){ buf + done, len < n - done ? len : n - done };
		remote = (struct iovec){ address + done, local.iov_len };
		r = write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0) : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	}
	return done;
}

/*@ host-read: host-copy */
/* HostRead: length bytes at offset of a view of a size-byte file, as runs of equal bytes */
static void host_read(uint8_t *view, uint64_t size, uint64_t offset, uint64_t length)
{
	uint64_t in_file = offset < size ? (length < size - offset ? length : size - offset) : 0, run;
	uint8_t *buf = malloc(in_file + 1);
	size_t at = (size_t)snprintf(got, sizeof(got), "Read[bytes=[");

	if (!host_fault(size, offset, length, host_copy(0, view + offset, buf, in_file))) {
		for (uint64_t i = 0; i < in_file && at < sizeof(got) - 32; i += run) {
			for (run = 1; i + run < in_file && buf[i + run] == buf[i]; run++)
				;
			at += (size_t)snprintf(got + at, sizeof(got) - at, "%s%" PRIu64 "x%02x", i ? ", " : "", run, buf[i]);
		}
		snprintf(got + at, sizeof(got) - at, "]]");
	}
	free(buf);
}

/*@ host-write: host-copy */
/* HostWrite: every page is read first, so a write that would fault anywhere writes nothing */
static void host_write(uint8_t *view, uint64_t size, uint64_t offset, uint64_t length, uint8_t fill)
{
	uint64_t in_file = offset < size ? (length < size - offset ? length : size - offset) : 0;
	uint8_t *buf = malloc(in_file + 1);

	if (!host_fault(size, offset, length, host_copy(0, view + offset, buf, in_file)) &&
	    !host_fault(size, offset, length, host_copy(1, view + offset, memset(buf, fill, in_file), in_file)))
		said("ok");
	free(buf);
}

/*@ pin: host-fault */
/* Pin: vmsplice of the view's pages into a fresh pipe holds a reference on each until the pipe closes */
static int pin(uint8_t *view, uint64_t size, uint64_t offset, uint64_t length, int fds[2], int number)
{
	uint64_t in_file = offset < size ? (length < size - offset ? length : size - offset) : 0, done = 0;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return failed(errno);
	n = in_file > 65536 && fcntl(fds[1], F_SETPIPE_SZ, in_file > (1 << 30) ? 1 << 30 : (int)in_file) < 0 ? -1 : 1;
	for (struct iovec iov; n > 0 && done < in_file; done += n > 0 ? (uint64_t)n : 0)
		iov = (struct iovec){ view + offset + done, in_file - done }, n = vmsplice(fds[1], &iov, 1, 0);
	if (n < 0 && errno != EFAULT)
		failed(errno);
	else if (!host_fault(size, offset, length, done))
		return said("Pinned[pin=%d]", number);
	close(fds[0]);
	return close(fds[1]);
}

/*@ memslot */
/*@@ kvm-memslot-abi.c */

/*@ private-memory */
#define KVM_CAP_MEMORY_ATTRIBUTES     233
#define KVM_MEMORY_ATTRIBUTE_PRIVATE  (1ULL << 3)

/*@ converted */
/* got = ok, the failure, or the refusal naming the page the kernel refused at (rc: 0 or -errno, a variable) */
#define converted(rc, at) ((rc) == -EAGAIN ? said("Refused[errno=EAGAIN, errorOffset=%" PRIu64 "]", (uint64_t)(at)) \
			  : (rc) ? failed((int)-(rc)) : said("ok"))

/*@ vm-attributes: private-memory converted */
#define KVM_SET_MEMORY_ATTRIBUTES     0x4020AED2UL /* _IOW(KVMIO, 0xd2, 32 bytes), VM fd */
struct kvm_memory_attributes { uint64_t address, size, attributes, flags; };

/* KVM_SET_MEMORY_ATTRIBUTES on the VM for the GPAs [address, address + size): 0 or -errno */
static long set_attributes(int vm, struct kvm_memory_attributes a)
{
	long rc = ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &a) < 0 ? -errno : 0;

	return converted(rc, 0), rc;
}

/*@ attributes2-abi */
#define KVM_SET_MEMORY_ATTRIBUTES2    0xC080AED2UL /* in-place conversion v8, guest_memfd fd */
struct kvm_memory_attributes2 { uint64_t offset, size, attributes, flags, error_offset, reserved[11]; };

/*@ attributes2: attributes2-abi private-memory converted */
/* KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd: 0 or -errno, the refused page read back from error_offset */
static long convert(int gmem, struct kvm_memory_attributes2 a)
{
	long rc = ioctl(gmem, KVM_SET_MEMORY_ATTRIBUTES2, &a) < 0 ? -errno : 0;

	return converted(rc, a.error_offset), rc;
}

/*@ gmem-convert-abi */
#define KVM_GMEM_CONVERT_SHARED       0xC040AF41UL /* RFC v2, guest_memfd fd */
#define KVM_GMEM_CONVERT_PRIVATE      0xC040AF42UL /* RFC v2, guest_memfd fd */
struct kvm_gmem_convert { uint64_t offset, size, error_offset, reserved[5]; };

/*@ gmem-convert: gmem-convert-abi private-memory converted */
/* KVM_GMEM_CONVERT_PRIVATE or _SHARED on the guest_memfd: 0 or -errno, the refused page read back from error_offset */
static long convert(int gmem, unsigned long to, struct kvm_gmem_convert c)
{
	long rc = ioctl(gmem, to, &c) < 0 ? -errno : 0;

	return converted(rc, c.error_offset), rc;
}

/*@ stat */
#include <sys/stat.h>

/*@ guest: memslot */
/* One vCPU in 64-bit mode, identity-mapped (2 MiB pages), code, stack and page tables in a memslot at GPA 0,
 * as tools/testing/selftests/kvm: "mov rax, [rsi]" at +0, "mov [rsi], rdx" at +0x10, vmcall at +0x20. */
#include <signal.h>
#define GUEST_CODE 0x8000ULL
/*@@ kvm-vcpu-abi.c */

static int vcpu; static struct kvm_run *run; static unsigned guest_timeout; /* s; GUEST_TIMEOUT=N raises it (emulation) */

static void watchdog(int signal)
{
	run->immediate_exit = signal; /* a guest that does not come back within 2 s */
}

static void guest_start(int kvm, int vm, uint64_t windows_end, int amd)
{
	static const uint8_t code[40] = { 0x48, 0x8B, 0x06, 0xE6, 0xE9, 0xF4, 0xEB, 0xFD, [16] = 0x48, 0x89, 0x16, 0xE6,
					  0xE9, 0xF4, 0xEB, 0xFD, [32] = 0x0F, 0x01, 0xC1, 0xE6, 0xE9, 0xF4, 0xEB, 0xFD };
	uint8_t *low = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t *pml4 = (uint64_t *)(low + 0x1000), *pdpt = (uint64_t *)(low + 0x2000), *pd = (uint64_t *)(low + 0x3000);
	struct kvm_userspace_memory_region2 region = { .slot = 32000, .memory_size = 0x10000, .userspace_addr = (uintptr_t)low };
	static struct kvm_cpuid2 cpuid = { .nent = 256 };
	struct kvm_sregs sregs;

	pml4[0] = 0x2000 | 3;
	for (uint64_t i = 0; i < (windows_end + (1ULL << 30) - 1) >> 30; i++)
		pdpt[i] = (0x3000 + PAGE_SIZE * i) | 3;
	for (uint64_t i = 0; i < (windows_end + (2ULL << 20) - 1) >> 21; i++)
		pd[i] = (i << 21) | 0x83; /* present, writable, 2 MiB */
	memcpy(low + GUEST_CODE, code, sizeof(code));
	low[GUEST_CODE + 0x22] = amd ? 0xD9 : 0xC1; /* vmmcall or vmcall */
	NEED(ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &region) >= 0 && (vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) >= 0,
	     "no vCPU on this machine: %s", strerror(errno));
	run = mmap(NULL, (size_t)ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	NEED(run != MAP_FAILED && ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &cpuid) >= 0 && ioctl(vcpu, KVM_SET_CPUID2, &cpuid) >= 0 &&
	     ioctl(vcpu, KVM_GET_SREGS, &sregs) >= 0, "cannot set the vCPU up (kvm_run, CPUID, sregs): %s", strerror(errno));
	sregs.cr0 = 0x80000021, sregs.cr3 = 0x1000, sregs.cr4 = 0x20, sregs.efer = 0x500; /* PG|NE|PE, PAE, LMA|LME */
	sregs.cs = (struct kvm_segment){ .limit = 0xffffffff, .selector = 8, .type = 11, .present = 1, .s = 1, .l = 1, .g = 1 };
	sregs.ds = (struct kvm_segment){ .limit = 0xffffffff, .selector = 0x10, .type = 3, .present = 1, .db = 1, .s = 1, .g = 1 };
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.tr = (struct kvm_segment){ .limit = 0x67, .selector = 0x18, .type = 11, .present = 1 };
	NEED(ioctl(vcpu, KVM_SET_SREGS, &sregs) >= 0, "cannot put the vCPU in 64-bit mode: KVM_SET_SREGS: %s", strerror(errno));
	signal(SIGALRM, watchdog), guest_timeout = getenv("GUEST_TIMEOUT") ? (unsigned)atoi(getenv("GUEST_TIMEOUT")) : 2;
}

/* Runs the code at entry until it says it is done (GuestValue for a read, ok else) or exits; hypercalls go to host */
static int guest_run(uint64_t entry, struct kvm_regs regs, int (*host)(void))
{
	int hypercall = 0, rc;

	run->immediate_exit = 1, ioctl(vcpu, KVM_RUN, 0), run->immediate_exit = 0; /* completes an exit still pending */
	regs.rip = entry, regs.rsp = 0xF000, regs.rflags = 2;
	ioctl(vcpu, KVM_SET_REGS, &regs);
	for (;;) {
		rc = (alarm(guest_timeout), ioctl(vcpu, KVM_RUN, 0));
		alarm(0);
		if (rc < 0 && (errno == EFAULT || errno == EHWPOISON) && run->exit_reason == KVM_EXIT_MEMORY_FAULT)
			return said("MemoryFaultExit[gpa=0x%" PRIx64 ", size=0x%" PRIx64 ", private=%s]", run->memory_fault.gpa,
				    run->memory_fault.size, run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE ? "true" : "false");
		if (rc < 0)
			return errno == EINTR ? said("OtherExit[reason=watchdog: the guest did not come back within %u ms]",
						     guest_timeout * 1000) : said("OtherExit[reason=KVM_RUN failed: %s]", strerror(errno));
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == 0xE9)
			break;
		if (run->exit_reason == KVM_EXIT_MMIO)
			return said("MmioExit[gpa=0x%" PRIx64 ", write=%s]", run->mmio.phys_addr, run->mmio.is_write ? "true" : "false");
		if (run->exit_reason != KVM_EXIT_HYPERCALL || !host)
			return said("OtherExit[reason=exit reason %u]", run->exit_reason);
		hypercall = host();
	}
	if (entry == GUEST_CODE) /* the read's value is in rax */
		return ioctl(vcpu, KVM_GET_REGS, &regs), said("GuestValue[0x%" PRIx64 "]", regs.rax);
	return !host ? said("ok") : hypercall ? 1 : said("OtherExit[reason=vmcall did not exit to the host (KVM_EXIT_HYPERCALL never came)]");
}

/*@ hypercall: private-memory */
#include <cpuid.h>
#define KVM_CAP_EXIT_HYPERCALL        201
#define KVM_ENABLE_CAP                0x4068AEA3UL /* _IOW(KVMIO, 0xa3, 104 bytes) */
#define KVM_HC_MAP_GPA_RANGE          12
#define KVM_MAP_GPA_RANGE_ENCRYPTED   (1ULL << 4)
struct kvm_enable_cap { uint32_t cap, flags; uint64_t args[4]; uint8_t pad[64]; };

/* KVM_HC_MAP_GPA_RANGE exits to this program, which converts as the host; 1 on an AMD CPU (vmmcall) */
static int exit_on_map_gpa_range(int vm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_EXIT_HYPERCALL, .args = { 1ULL << KVM_HC_MAP_GPA_RANGE } };
	unsigned int a, b, c, d;

	NEED((ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_EXIT_HYPERCALL) & (1L << KVM_HC_MAP_GPA_RANGE)) && ioctl(vm, KVM_ENABLE_CAP, &cap) >= 0,
	     "KVM_HC_MAP_GPA_RANGE does not exit to the host: KVM_CAP_EXIT_HYPERCALL lacks it");
	return __get_cpuid(0, &a, &b, &c, &d) && b == 0x68747541; /* "Auth"enticAMD */
}

/*@ host-policy-vm: vm-attributes */
static int policy_vm;

/* The host's answer to the guest's KVM_HC_MAP_GPA_RANGE(gpa, pages, attributes): it converts the GPAs */
static long host_converts(const uint64_t *args)
{
	return set_attributes(policy_vm, (struct kvm_memory_attributes){ .address = args[0], .size = args[1] * PAGE_SIZE,
			      .attributes = args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0 });
}

/*@ host-policy-none */
/* The host's answer to the guest's KVM_HC_MAP_GPA_RANGE: this edition has no conversion */
static long host_converts(const uint64_t *args)
{
	(void)args;
	return -EINVAL;
}

/*@ range-attributes2: attributes2 */
#define convert_range(gmem, from, bytes, private) \
	convert(gmem, (struct kvm_memory_attributes2){ .offset = (from), .size = (bytes), .attributes = (private) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0 })

/*@ range-gmem-convert: gmem-convert */
#define convert_range(gmem, from, bytes, private) \
	convert(gmem, (private) ? KVM_GMEM_CONVERT_PRIVATE : KVM_GMEM_CONVERT_SHARED, (struct kvm_gmem_convert){ .offset = (from), .size = (bytes) })

/*@ host-policy-gmem */
static int policy_gmem = -1;             /* the guest_memfd of the memslot holding the range, -1 for none */
static uint64_t policy_gpa, policy_size, policy_offset;

/* The host's answer to the guest's KVM_HC_MAP_GPA_RANGE(gpa, pages, attributes): it converts the file's pages */
static long host_converts(const uint64_t *args)
{
	uint64_t size = args[1] * PAGE_SIZE;

	if (policy_gmem < 0 || args[0] < policy_gpa || args[0] + size > policy_gpa + policy_size)
		return -EINVAL;
	return convert_range(policy_gmem, policy_offset + (args[0] - policy_gpa), size, args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED);
}

/*@ hypercall-exit */
/* The host's side of the guest's KVM_HC_MAP_GPA_RANGE(gpa, pages, attributes): got = the HypercallExit; 1 (it came) */
static int hypercall_exit(void)
{
	uint64_t *args = run->hypercall.args;

	run->hypercall.ret = (uint64_t)host_converts(args);
	said("HypercallExit[gpa=0x%" PRIx64 ", pages=%" PRIu64 ", attributes=0x%llx, hostResult=%ld]", args[0], args[1],
	     args[2] & KVM_MAP_GPA_RANGE_ENCRYPTED ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0, (long)run->hypercall.ret);
	return 1;
}
