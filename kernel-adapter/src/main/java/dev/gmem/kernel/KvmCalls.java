package dev.gmem.kernel;

import com.sun.jna.Pointer;
import dev.gmem.api.Operation;

/**
 * Every ioctl the adapter sends, one method each, as kvm_util's helpers do: the request struct is
 * filled by {@link Requests} into the caller's buffer and sent with its number from {@link Ioctls}.
 * The only caller of {@code LibC.ioctl}. Each method answers the ioctl's result (0, a count or a
 * new fd) or, when the kernel refuses, minus the errno; nothing here throws or maps errnos.
 */
final class KvmCalls {
    private KvmCalls() {
    }

    private static int result(int rc) {
        return rc < 0 ? -LibC.errno() : rc;
    }

    /** 0 for a result, the errno for a refusal: the shape the callers that only need success use. */
    static int errnoOf(int result) {
        return result < 0 ? -result : 0;
    }

    // --- /dev/kvm

    static int getApiVersion(int kvmFd) {
        return result(LibC.ioctl(kvmFd, Ioctls.KVM_GET_API_VERSION, 0L));
    }

    /** On /dev/kvm or on a VM (a VM answers for its own type). */
    static int checkExtension(int fd, int cap) {
        return result(LibC.ioctl(fd, Ioctls.KVM_CHECK_EXTENSION, (long) cap));
    }

    static int createVm(int kvmFd, int type) {
        return result(LibC.ioctl(kvmFd, Ioctls.KVM_CREATE_VM, (long) type));
    }

    static int getVcpuMmapSize(int kvmFd) {
        return result(LibC.ioctl(kvmFd, Ioctls.KVM_GET_VCPU_MMAP_SIZE, 0L));
    }

    /** {@code cpuid} holds a {@code kvm_cpuid2} whose nent says how many entries it has room for. */
    static int getSupportedCpuid(int kvmFd, Pointer cpuid) {
        return result(LibC.ioctl(kvmFd, Ioctls.KVM_GET_SUPPORTED_CPUID, cpuid));
    }

    // --- a VM

    static int createVcpu(int vmFd, int id) {
        return result(LibC.ioctl(vmFd, Ioctls.KVM_CREATE_VCPU, (long) id));
    }

    static int createGuestMemfd(int vmFd, Pointer request, long size, long flags) {
        Requests.createGuestMemfd(request, size, flags);
        return result(LibC.ioctl(vmFd, Ioctls.KVM_CREATE_GUEST_MEMFD, request));
    }

    static int setUserMemoryRegion2(int vmFd, Pointer request, int slot, int flags, long gpa, long size,
                                    long userspaceAddr, long gmemOffset, int gmemFd) {
        Requests.userMemoryRegion2(request, slot, flags, gpa, size, userspaceAddr, gmemOffset, gmemFd);
        return result(LibC.ioctl(vmFd, Ioctls.KVM_SET_USER_MEMORY_REGION2, request));
    }

    /** vm-attributes: per GPA range, on the VM. */
    static int setMemoryAttributes(int vmFd, Pointer request, long gpa, long size, long attributes, long flags) {
        Requests.memoryAttributes(request, gpa, size, attributes, flags);
        return result(LibC.ioctl(vmFd, Ioctls.KVM_SET_MEMORY_ATTRIBUTES, request));
    }

    /** With one argument. */
    static int enableCap(int vmFd, Pointer request, int cap, long arg0) {
        Requests.enableCap(request, cap, arg0);
        return result(LibC.ioctl(vmFd, Ioctls.KVM_ENABLE_CAP, request));
    }

    // --- a vCPU

    static int run(int vcpuFd) {
        return result(LibC.ioctl(vcpuFd, Ioctls.KVM_RUN, 0L));
    }

    static int getRegs(int vcpuFd, Pointer regs) {
        return result(LibC.ioctl(vcpuFd, Ioctls.KVM_GET_REGS, regs));
    }

    static int setRegs(int vcpuFd, Pointer regs) {
        return result(LibC.ioctl(vcpuFd, Ioctls.KVM_SET_REGS, regs));
    }

    static int getSregs(int vcpuFd, Pointer sregs) {
        return result(LibC.ioctl(vcpuFd, Ioctls.KVM_GET_SREGS, sregs));
    }

    static int setSregs(int vcpuFd, Pointer sregs) {
        return result(LibC.ioctl(vcpuFd, Ioctls.KVM_SET_SREGS, sregs));
    }

    static int setCpuid2(int vcpuFd, Pointer cpuid) {
        return result(LibC.ioctl(vcpuFd, Ioctls.KVM_SET_CPUID2, cpuid));
    }

    // --- a guest_memfd

    /**
     * inplace-v8: KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd, every raw field as given; after a
     * refusal the request's error_offset says where the kernel stopped.
     */
    static int setMemoryAttributes2(int gmemFd, Pointer request, long offset, long size, boolean toPrivate,
                                    Operation.Convert.Raw raw) {
        Requests.memoryAttributes2(request, offset, size, toPrivate, raw);
        return result(LibC.ioctl(gmemFd, Ioctls.KVM_SET_MEMORY_ATTRIBUTES2, request));
    }

    /** rfc-v2-convert (never merged): KVM_GMEM_CONVERT_PRIVATE or _SHARED; error_offset as above. */
    static int gmemConvert(int gmemFd, Pointer request, long offset, long size, boolean toPrivate,
                           Operation.Convert.Raw raw) {
        Requests.gmemConvert(request, offset, size, raw);
        long number = toPrivate ? Ioctls.KVM_GMEM_CONVERT_PRIVATE : Ioctls.KVM_GMEM_CONVERT_SHARED;
        return result(LibC.ioctl(gmemFd, number, request));
    }
}
