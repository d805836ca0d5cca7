package dev.gmem.kernel;

import com.sun.jna.Memory;

/** A KVM VM fd, with the request buffers of its ioctls, one per calling thread (threads of a session share the VM). */
final class Vm implements AutoCloseable {
    private final KvmDevice kvm;
    private volatile int fd;
    private final int type;
    private final PerThread<Memory> requests = new PerThread<>(() -> new Memory(Structs.UserMemoryRegion2.SIZE));

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

    /** KVM_CHECK_EXTENSION on this VM (0 where the capability is unknown). */
    long checkExtension(int cap) {
        return Math.max(0, KvmCalls.checkExtension(fd, cap));
    }

    /** KVM_CREATE_GUEST_MEMFD: the new fd, or minus the errno. */
    int createGuestMemfd(long size, long flags) {
        return KvmCalls.createGuestMemfd(fd, requests.get(), size, flags);
    }

    /** KVM_SET_USER_MEMORY_REGION2: 0 or the errno. */
    int setUserMemoryRegion2(int slot, int flags, long gpa, long size, long userspaceAddr, long gmemOffset, int gmemFd) {
        return KvmCalls.errnoOf(KvmCalls.setUserMemoryRegion2(fd, requests.get(), slot, flags, gpa, size, userspaceAddr,
                gmemOffset, gmemFd));
    }

    /** KVM_SET_MEMORY_ATTRIBUTES on this VM: 0 or the errno. */
    int setMemoryAttributes(long gpa, long size, long attributes, long flags) {
        return KvmCalls.errnoOf(KvmCalls.setMemoryAttributes(fd, requests.get(), gpa, size, attributes, flags));
    }

    /** KVM_ENABLE_CAP with one argument: 0 or the errno. */
    int enableCap(int cap, long arg0) {
        return KvmCalls.errnoOf(KvmCalls.enableCap(fd, requests.get(), cap, arg0));
    }

    /** KVM_CREATE_VCPU: the vCPU fd; throws when the kernel refuses. */
    int createVcpu(int id) {
        int r = KvmCalls.createVcpu(fd, id);
        if (r < 0) throw new SysError("KVM_CREATE_VCPU", -r);
        return r;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
        requests.close();
    }

    /** Closes the fd only (CloseVm): the request buffer stays for nothing else to use. */
    void closeFd() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }
}
