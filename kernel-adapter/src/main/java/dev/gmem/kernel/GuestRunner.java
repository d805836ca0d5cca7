package dev.gmem.kernel;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Observation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One vCPU running {@link GuestImage} on its own thread (KVM wants a vCPU driven from one thread);
 * vCPU 0 also lays the image out in its memslot, later vCPUs of the VM share it (the guest code
 * uses no stack and no memory of its own, so vCPUs run it at once).
 * Every KVM_RUN has a watchdog: when the guest does not come back in time, the caller sets
 * {@code immediate_exit} and sends a signal to the vCPU thread, so KVM_RUN returns EINTR and the
 * run ends as an OtherExit naming the timeout, never as a hung suite.
 */
final class GuestRunner implements AutoCloseable {
    /** The memslot of the guest's own code and page tables, far above the slots operations use. */
    static final int SLOT = 32000;
    /** A real-time signal the JVM does not use; its handler does nothing, it only interrupts KVM_RUN. */
    static final int KICK_SIGNAL = 40;
    static final long DEFAULT_TIMEOUT_MS = Long.getLong("gmem.kernel.guestTimeoutMs", 2000);
    private static final int KICK_ATTEMPTS = 100;
    private static final long KVM_ENOSYS = 1000;
    private static final long MAX_ERRNO = 4095;
    /** RFLAGS bit 1 is reserved and always set. */
    private static final long RFLAGS_RESERVED = 2;

    /** What the host does when the guest asks to convert: 0 or minus an errno for the guest. */
    interface HostPolicy {
        long convert(long gpa, long size, boolean toPrivate);
    }

    private final Vm vm;
    private final int id;
    private final long timeoutMs;
    private final ExecutorService thread;
    private volatile int tid;
    private volatile boolean kicked;
    private String broken;
    private Vcpu vcpu;
    private Mapping low;
    private final boolean amd = isAmd();

    private GuestRunner(Vm vm, int id, long timeoutMs) {
        this.vm = vm;
        this.id = id;
        this.timeoutMs = timeoutMs;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gmem-vcpu" + id);
            t.setDaemon(true);
            return t;
        });
    }

    /** Sets the vCPU up; a runner that could not start answers every operation with the reason. */
    static GuestRunner start(Vm vm) {
        return start(vm, 0, DEFAULT_TIMEOUT_MS);
    }

    /** vCPU {@code id} of {@code vm}; vCPU 0 must have been started first (it lays out the guest image). */
    static GuestRunner start(Vm vm, int id) {
        return start(vm, id, DEFAULT_TIMEOUT_MS);
    }

    static GuestRunner start(Vm vm, int id, long timeoutMs) {
        GuestRunner r = new GuestRunner(vm, id, timeoutMs);
        try {
            installKickHandler();
            r.thread.submit(r::setUp).get();
        } catch (ExecutionException e) {
            r.broken = "the vCPU could not be set up: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.broken = "interrupted while setting up the vCPU";
        } catch (SysError e) {
            r.broken = "the vCPU could not be set up: " + e.getMessage();
        }
        return r;
    }

    /** Null when the vCPU is usable, else why not. */
    String brokenReason() {
        return broken;
    }

    Observation read(long gpa) {
        return perform(GuestImage.ENTRY_READ, 0, 0, 0, 0, gpa, null, Kind.READ, timeoutMs);
    }

    Observation write(long gpa, long value) {
        return perform(GuestImage.ENTRY_WRITE, 0, 0, 0, value, gpa, null, Kind.WRITE, timeoutMs);
    }

    Observation requestConversion(long gpa, long size, boolean toPrivate, HostPolicy policy) {
        return requestConversion(gpa, size, toPrivate, policy, timeoutMs);
    }

    /** As above with its own watchdog (discovery asks briefly: where vmcall never exits, it hangs). */
    Observation requestConversion(long gpa, long size, boolean toPrivate, HostPolicy policy, long watchdogMs) {
        long pages = size / Kvm.PAGE_SIZE;
        long attributes = (toPrivate ? Kvm.MAP_GPA_RANGE_ENCRYPTED : 0) | Kvm.MAP_GPA_RANGE_PAGE_SZ_4K;
        return perform(GuestImage.ENTRY_HYPERCALL, Kvm.HC_MAP_GPA_RANGE, gpa, pages, attributes, 0, policy,
                Kind.HYPERCALL, watchdogMs);
    }

    private enum Kind { READ, WRITE, HYPERCALL }

    private Observation perform(long entry, long rax, long rbx, long rcx, long rdx, long rsi, HostPolicy policy,
                                Kind kind, long watchdogMs) {
        if (broken != null) return new Observation.OtherExit(broken);
        Future<Observation> f = thread.submit(() -> runGuest(entry, rax, rbx, rcx, rdx, rsi, policy, kind, watchdogMs));
        try {
            return f.get(watchdogMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return kick(f);
        } catch (ExecutionException e) {
            return new Observation.OtherExit("vCPU run failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return kick(f);
        } finally {
            kicked = false;
        }
    }

    /** The watchdog: interrupts KVM_RUN until the vCPU thread comes back. */
    private Observation kick(Future<Observation> f) {
        kicked = true;
        int pid = LibC.getpid();
        for (int i = 0; i < KICK_ATTEMPTS; i++) {
            vcpu.requestImmediateExit();
            LibC.tgkill(pid, tid, KICK_SIGNAL);
            try {
                return f.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // not back yet: kick again
            } catch (ExecutionException e) {
                return new Observation.OtherExit("vCPU run failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        broken = "the vCPU thread did not come back after " + KICK_ATTEMPTS + " watchdog signals";
        return new Observation.OtherExit(broken);
    }

    // --- on the vCPU thread

    private Void setUp() {
        tid = (int) LibC.syscall(LibC.SYS_GETTID);
        if (id == 0) {
            low = Mapping.anonymous(GuestImage.SIZE);
            GuestImage.write(new Pointer(low.address()), amd);
            int err = vm.setUserMemoryRegion2(SLOT, 0, 0, GuestImage.SIZE, low.address(), 0, 0);
            if (err != 0) throw new SysError("KVM_SET_USER_MEMORY_REGION2(guest image)", err);
            long hypercalls = vm.checkExtension(Kvm.CAP_EXIT_HYPERCALL);
            if ((hypercalls & (1L << Kvm.HC_MAP_GPA_RANGE)) != 0) vm.enableCap(Kvm.CAP_EXIT_HYPERCALL, 1L << Kvm.HC_MAP_GPA_RANGE);
        }
        vcpu = Vcpu.create(vm, id);
        vcpu.enterLongMode();
        return null;
    }

    private Observation runGuest(long entry, long rax, long rbx, long rcx, long rdx, long rsi, HostPolicy policy,
                                 Kind kind, long watchdogMs) {
        vcpu.settle();
        int err = vcpu.setRegs(entry, GuestImage.STACK_TOP, RFLAGS_RESERVED, rax, rbx, rcx, rdx, rsi);
        if (err != 0) return new Observation.OtherExit("KVM_SET_REGS failed: " + Errnos.name(err));
        Observation.HypercallExit hypercall = null;
        while (true) {
            vcpu.clearImmediateExit();
            if (kicked) return timeout(watchdogMs);
            VcpuExit exit = vcpu.run();
            if (exit instanceof VcpuExit.Interrupted) {
                if (kicked) return timeout(watchdogMs);
                continue;
            }
            if (exit instanceof VcpuExit.Ended e) return e.observation();
            if (exit instanceof VcpuExit.Hypercall h) {
                long ret;
                if (h.nr() == Kvm.HC_MAP_GPA_RANGE && policy != null) {
                    boolean toPrivate = (h.arg2() & Kvm.MAP_GPA_RANGE_ENCRYPTED) != 0;
                    ret = policy.convert(h.arg0(), h.arg1() * Kvm.PAGE_SIZE, toPrivate);
                    hypercall = new Observation.HypercallExit(h.arg0(), h.arg1(),
                            toPrivate ? MemoryAttributes.PRIVATE : 0, ret);
                } else {
                    ret = -KVM_ENOSYS;
                }
                vcpu.setHypercallReturn(ret);
                continue;
            }
            // reported: the guest finished
            int got = vcpu.getRegs();
            if (got != 0) return new Observation.OtherExit("KVM_GET_REGS failed: " + Errnos.name(got));
            long value = vcpu.rax();
            return switch (kind) {
                case READ -> new Observation.GuestValue(value);
                case WRITE -> Observation.Ok.INSTANCE;
                case HYPERCALL -> hypercall != null ? hypercall : answeredInKernel(value);
            };
        }
    }

    /**
     * KVM answered the hypercall itself, without an exit: a bad request (misaligned, empty) comes
     * back to the guest as minus a KVM errno; anything else means the exit never came.
     */
    static Observation answeredInKernel(long rax) {
        if (rax < 0 && rax >= -MAX_ERRNO) return Errnos.failed((int) -rax, "KVM_HC_MAP_GPA_RANGE");
        return new Observation.OtherExit("vmcall did not exit to the host (no KVM_EXIT_HYPERCALL; the kernel answered"
                + " rax=" + rax + ")");
    }

    private static Observation timeout(long watchdogMs) {
        return new Observation.OtherExit("watchdog: the guest did not come back within " + watchdogMs + " ms");
    }

    @Override
    public void close() {
        if (broken == null || vcpu != null || low != null) {
            Future<?> f = thread.submit(this::release);
            try {
                f.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // a vCPU thread that never came back keeps its fds; the daemon thread dies with the JVM
            }
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void release() {
        if (vcpu != null) vcpu.close();
        vcpu = null;
        if (low != null) low.release();
        low = null;
    }

    // --- process-wide

    private static boolean handlerInstalled;

    /**
     * Installs a do-nothing handler for {@link #KICK_SIGNAL}: the signal must be caught (not ignored,
     * which would discard it; not default, which would end the process) to make KVM_RUN return EINTR.
     * Any libc function that takes an int is a valid do-nothing handler; getpid has no side effect.
     */
    private static synchronized void installKickHandler() {
        if (handlerInstalled) return;
        Function noop = Function.getFunction("c", "getpid");
        try (Memory act = new Memory(Structs.SigAction.SIZE)) {
            act.clear();
            act.setPointer(Structs.SigAction.HANDLER, noop);
            SysError.check(LibC.sigaction(KICK_SIGNAL, act, null), "sigaction");
        }
        handlerInstalled = true;
    }

    private static boolean isAmd() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains("AuthenticAMD");
        } catch (Exception e) {
            return false;
        }
    }
}
