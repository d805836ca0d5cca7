package dev.gmem.kernel;

import com.sun.jna.Pointer;
import dev.gmem.api.TargetException;

/** An open /dev/kvm. */
final class KvmDevice implements AutoCloseable {
    static final String PATH = "/dev/kvm";

    private final int fd;

    private KvmDevice(int fd) {
        this.fd = fd;
    }

    static KvmDevice open() throws TargetException {
        int fd = LibC.open(PATH, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            int errno = LibC.errno();
            if (errno == Errnos.ENOENT || errno == Errnos.ENODEV) {
                throw new TargetException(PATH + " is missing: load kvm (modprobe kvm_intel or kvm_amd) or run inside ci/vm-run");
            }
            throw new TargetException(PATH + " cannot be opened (" + Errnos.name(errno)
                    + "): run as root or add yourself to the kvm group, or run inside ci/vm-run");
        }
        int version = KvmCalls.getApiVersion(fd);
        if (version != Kvm.API_VERSION) {
            LibC.close(fd);
            throw new TargetException(PATH + " speaks KVM API version " + version + ", the adapter needs " + Kvm.API_VERSION);
        }
        return new KvmDevice(fd);
    }

    int fd() {
        return fd;
    }

    /** KVM_CHECK_EXTENSION on /dev/kvm (0 where the capability is unknown). */
    long checkExtension(int cap) {
        return Math.max(0, KvmCalls.checkExtension(fd, cap));
    }

    /** KVM_CREATE_VM of {@code type}; throws SysError with the errno when the kernel refuses. */
    Vm createVm(int type) {
        int vmFd = KvmCalls.createVm(fd, type);
        if (vmFd < 0) throw new SysError("KVM_CREATE_VM(type " + type + ")", -vmFd);
        return new Vm(this, vmFd, type);
    }

    /** KVM_GET_VCPU_MMAP_SIZE: the length of a vCPU's kvm_run mapping; throws when the kernel refuses. */
    int vcpuMmapSize() {
        int r = KvmCalls.getVcpuMmapSize(fd);
        if (r < 0) throw new SysError("KVM_GET_VCPU_MMAP_SIZE", -r);
        return r;
    }

    /** KVM_GET_SUPPORTED_CPUID into {@code cpuid} (its nent set to the room it has); throws when refused. */
    void getSupportedCpuid(Pointer cpuid) {
        int r = KvmCalls.getSupportedCpuid(fd, cpuid);
        if (r < 0) throw new SysError("KVM_GET_SUPPORTED_CPUID", -r);
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
