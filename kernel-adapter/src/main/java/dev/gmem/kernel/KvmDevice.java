package dev.gmem.kernel;

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
        int version = LibC.ioctl(fd, Ioctls.KVM_GET_API_VERSION, 0L);
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
        int r = LibC.ioctl(fd, Ioctls.KVM_CHECK_EXTENSION, (long) cap);
        return r < 0 ? 0 : r;
    }

    /** KVM_CREATE_VM of {@code type}; throws SysError with the errno when the kernel refuses. */
    Vm createVm(int type) {
        int vmFd = LibC.ioctl(fd, Ioctls.KVM_CREATE_VM, (long) type);
        if (vmFd < 0) throw new SysError("KVM_CREATE_VM(type " + type + ")", LibC.errno());
        return new Vm(this, vmFd, type);
    }

    int vcpuMmapSize() {
        return (int) SysError.check(LibC.ioctl(fd, Ioctls.KVM_GET_VCPU_MMAP_SIZE, 0L), "KVM_GET_VCPU_MMAP_SIZE");
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
