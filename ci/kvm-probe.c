/*
 * Prints what /dev/kvm offers, one key=value a line: the capabilities the
 * vm-attributes edition needs, asked on the system fd and on a
 * software-protected VM. vm-run runs it inside the VM before the suite so the
 * console and the results folder say which kernel the suite met.
 * Numbers: KERNEL-ABI.md section 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#define KVM_GET_API_VERSION 0xAE00
#define KVM_CREATE_VM 0xAE01
#define KVM_CHECK_EXTENSION 0xAE03

#define KVM_X86_SW_PROTECTED_VM 1

static const struct { const char *name; int cap; } caps[] = {
	{ "KVM_CAP_EXIT_HYPERCALL", 201 },
	{ "KVM_CAP_USER_MEMORY2", 231 },
	{ "KVM_CAP_MEMORY_FAULT_INFO", 232 },
	{ "KVM_CAP_MEMORY_ATTRIBUTES", 233 },
	{ "KVM_CAP_GUEST_MEMFD", 234 },
	{ "KVM_CAP_VM_TYPES", 235 },
	{ "KVM_CAP_GUEST_MEMFD_FLAGS", 244 },
};

static void print_caps(const char *scope, int fd)
{
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		int v = ioctl(fd, KVM_CHECK_EXTENSION, caps[i].cap);
		if (v < 0)
			printf("%s.%s=error:%s\n", scope, caps[i].name, strerror(errno));
		else
			printf("%s.%s=%d\n", scope, caps[i].name, v);
	}
}

int main(void)
{
	struct utsname u;
	if (uname(&u) == 0)
		printf("kernel=%s\n", u.release);
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("dev_kvm=unavailable:%s\n", strerror(errno));
		return 1;
	}
	printf("dev_kvm=ok\napi_version=%d\n", ioctl(kvm, KVM_GET_API_VERSION, 0));
	print_caps("system", kvm);
	int vm = ioctl(kvm, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	if (vm < 0) {
		printf("sw_protected_vm=unavailable:%s\n", strerror(errno));
		return 0;
	}
	printf("sw_protected_vm=ok\n");
	print_caps("sw_protected_vm", vm);
	close(vm);
	close(kvm);
	return 0;
}
