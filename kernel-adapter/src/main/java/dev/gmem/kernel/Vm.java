package dev.gmem.kernel;

import com.sun.jna.Memory;

/** A KVM VM fd, with the request buffers of its ioctls (a VM is used by one thread at a time). */
final class Vm implements AutoCloseable {
    private final KvmDevice kvm;
    private int fd;
    private final int type;
    private final Memory request = new Memory(Structs.UserMemoryRegion2.SIZE);

    Vm(KvmDevice kvm, int fd, int type) {
        this.kvm = kvm;
        this.fd = fd;
        this.type = type;
    }

    KvmDevice kvm() {
        return kvm;
    }

    int fd() {
        return fd;
    }

    int type() {
        return type;
    }

    boolean isOpen() {
        return fd >= 0;
    }

    long checkExtension(int cap) {
        int r = LibC.ioctl(fd, Ioctls.KVM_CHECK_EXTENSION, (long) cap);
        return r < 0 ? 0 : r;
    }

    /** KVM_CREATE_GUEST_MEMFD: the new fd, or minus the errno. */
    int createGuestMemfd(long size, long flags) {
        Requests.createGuestMemfd(request, size, flags);
        int r = LibC.ioctl(fd, Ioctls.KVM_CREATE_GUEST_MEMFD, request);
        return r < 0 ? -LibC.errno() : r;
    }

    /** KVM_SET_USER_MEMORY_REGION2: 0 or the errno. */
    int setUserMemoryRegion2(int slot, int flags, long gpa, long size, long userspaceAddr, long gmemOffset, int gmemFd) {
        Requests.userMemoryRegion2(request, slot, flags, gpa, size, userspaceAddr, gmemOffset, gmemFd);
        return LibC.ioctl(fd, Ioctls.KVM_SET_USER_MEMORY_REGION2, request) < 0 ? LibC.errno() : 0;
    }

    /** KVM_SET_MEMORY_ATTRIBUTES on this VM: 0 or the errno. */
    int setMemoryAttributes(long gpa, long size, long attributes, long flags) {
        Requests.memoryAttributes(request, gpa, size, attributes, flags);
        return LibC.ioctl(fd, Ioctls.KVM_SET_MEMORY_ATTRIBUTES, request) < 0 ? LibC.errno() : 0;
    }

    /** KVM_ENABLE_CAP with one argument: 0 or the errno. */
    int enableCap(int cap, long arg0) {
        request.clear(Structs.EnableCap.SIZE);
        request.setInt(Structs.EnableCap.CAP, cap);
        request.setLong(Structs.EnableCap.ARGS, arg0);
        return LibC.ioctl(fd, Ioctls.KVM_ENABLE_CAP, request) < 0 ? LibC.errno() : 0;
    }

    /** KVM_CREATE_VCPU: the vCPU fd; throws when the kernel refuses. */
    int createVcpu(int id) {
        return (int) SysError.check(LibC.ioctl(fd, Ioctls.KVM_CREATE_VCPU, (long) id), "KVM_CREATE_VCPU");
    }

    @Override
    public void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
        request.close();
    }

    /** Closes the fd only (CloseVm): the request buffer stays for nothing else to use. */
    void closeFd() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }
}
