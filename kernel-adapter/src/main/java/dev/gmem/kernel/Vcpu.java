package dev.gmem.kernel;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * One vCPU, as kvm_util's {@code struct kvm_vcpu}: its fd, its mapped {@code kvm_run} page and a
 * register buffer. KVM wants a vCPU driven from one thread; only {@link #requestImmediateExit()}
 * may be called from another.
 */
final class Vcpu implements AutoCloseable {
    /** Room for the entries KVM_GET_SUPPORTED_CPUID returns (x86 kernels report well under 100). */
    private static final int CPUID_ENTRIES = 256;

    private int fd;
    private Pointer run;
    private final long runSize;
    private final Memory regs = new Memory(Structs.Regs.SIZE);
    private boolean needsSettle;

    private Vcpu(int fd, Pointer run, long runSize) {
        this.fd = fd;
        this.run = run;
        this.runSize = runSize;
    }

    /**
     * KVM_CREATE_VCPU {@code id} on {@code vm}, its kvm_run page mapped and the CPUID the host
     * supports set; throws SysError (having closed what it made) when the kernel refuses a step.
     */
    static Vcpu create(Vm vm, int id) {
        int fd = vm.createVcpu(id);
        long runSize;
        Pointer run;
        try {
            runSize = vm.kvm().vcpuMmapSize();
            run = LibC.mmap(null, runSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            if (Pointer.nativeValue(run) == LibC.MAP_FAILED) throw new SysError("mmap(kvm_run)", LibC.errno());
        } catch (SysError e) {
            LibC.close(fd);
            throw e;
        }
        Vcpu v = new Vcpu(fd, run, runSize);
        try (Memory cpuid = new Memory(Structs.CpuId2.ENTRIES + (long) Structs.CpuId2.ENTRY_SIZE * CPUID_ENTRIES)) {
            cpuid.clear();
            cpuid.setInt(Structs.CpuId2.NENT, CPUID_ENTRIES);
            vm.kvm().getSupportedCpuid(cpuid);
            v.check(KvmCalls.setCpuid2(fd, cpuid), "KVM_SET_CPUID2");
        } catch (SysError e) {
            v.close();
            throw e;
        }
        return v;
    }

    /** Puts the vCPU in 64-bit mode with the test guest's page tables ({@link LongMode}); throws when refused. */
    void enterLongMode() {
        try (Memory sregs = new Memory(Structs.Sregs.SIZE)) {
            check(KvmCalls.getSregs(fd, sregs), "KVM_GET_SREGS");
            LongMode.apply(sregs);
            check(KvmCalls.setSregs(fd, sregs), "KVM_SET_SREGS");
        }
    }

    private static void check(int result, String call) {
        if (result < 0) throw new SysError(call, -result);
    }

    /** KVM_SET_REGS with these registers and every other one zero: 0 or the errno. */
    int setRegs(long rip, long rsp, long rflags, long rax, long rbx, long rcx, long rdx, long rsi) {
        Requests.regs(regs, rip, rsp, rflags, rax, rbx, rcx, rdx, rsi);
        return KvmCalls.errnoOf(KvmCalls.setRegs(fd, regs));
    }

    /** KVM_GET_REGS: 0 or the errno; then {@link #rax()} reads the result. */
    int getRegs() {
        return KvmCalls.errnoOf(KvmCalls.getRegs(fd, regs));
    }

    long rax() {
        return regs.getLong(Structs.Regs.RAX);
    }

    /** KVM_RUN once, decoded (the caller clears {@code immediate_exit} before it checks for a kick). */
    VcpuExit run() {
        int r = KvmCalls.run(fd);
        needsSettle = true;
        return ExitDecoder.decode(r < 0 ? -1 : r, KvmCalls.errnoOf(r), run);
    }

    /** The value the guest's hypercall returns when the vCPU runs again after a KVM_EXIT_HYPERCALL. */
    void setHypercallReturn(long value) {
        run.setLong(Structs.Run.HYPERCALL_RET, value);
    }

    /** Any thread: makes the current or next KVM_RUN return at once (with a signal, one in progress too). */
    void requestImmediateExit() {
        run.setByte(Structs.Run.IMMEDIATE_EXIT, (byte) 1);
    }

    void clearImmediateExit() {
        run.setByte(Structs.Run.IMMEDIATE_EXIT, (byte) 0);
    }

    /** Lets KVM finish an exit still pending (an I/O or MMIO completion) before new registers are set. */
    void settle() {
        if (!needsSettle) return;
        run.setByte(Structs.Run.IMMEDIATE_EXIT, (byte) 1);
        KvmCalls.run(fd);
        run.setByte(Structs.Run.IMMEDIATE_EXIT, (byte) 0);
        needsSettle = false;
    }

    @Override
    public void close() {
        if (run != null) LibC.munmap(run, runSize);
        run = null;
        if (fd >= 0) LibC.close(fd);
        fd = -1;
        regs.close();
    }
}
