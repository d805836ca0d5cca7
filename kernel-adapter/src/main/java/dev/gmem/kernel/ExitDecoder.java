package dev.gmem.kernel;

import com.sun.jna.Pointer;
import dev.gmem.api.Observation;

/** Decodes a KVM_RUN return, its errno and the kvm_run page into a {@link VcpuExit}. */
final class ExitDecoder {
    /** The I/O port the guest reports completion on (the selftests' debug port). */
    static final int REPORT_PORT = 0xE9;

    private ExitDecoder() {
    }

    static VcpuExit decode(int runResult, int errno, Pointer run) {
        int reason = run.getInt(Structs.Run.EXIT_REASON);
        if (runResult < 0) {
            if ((errno == Errnos.EFAULT || errno == Errnos.EHWPOISON) && reason == Kvm.EXIT_MEMORY_FAULT) {
                return new VcpuExit.Ended(memoryFault(run));
            }
            if (errno == Errnos.EINTR) return new VcpuExit.Interrupted();
            return new VcpuExit.Ended(new Observation.OtherExit("KVM_RUN failed with " + Errnos.name(errno)
                    + " (exit reason " + reason + ")"));
        }
        switch (reason) {
            case Kvm.EXIT_IO -> {
                int port = run.getShort(Structs.Run.IO_PORT) & 0xffff;
                int direction = run.getByte(Structs.Run.IO_DIRECTION);
                if (port == REPORT_PORT && direction == Kvm.EXIT_IO_OUT) return new VcpuExit.Reported();
                return new VcpuExit.Ended(new Observation.OtherExit("IO exit on port 0x" + Integer.toHexString(port)
                        + (direction == Kvm.EXIT_IO_OUT ? " (out)" : " (in)")));
            }
            case Kvm.EXIT_MMIO -> {
                return new VcpuExit.Ended(new Observation.MmioExit(run.getLong(Structs.Run.MMIO_PHYS_ADDR),
                        run.getByte(Structs.Run.MMIO_IS_WRITE) != 0));
            }
            case Kvm.EXIT_HYPERCALL -> {
                return new VcpuExit.Hypercall(run.getLong(Structs.Run.HYPERCALL_NR),
                        run.getLong(Structs.Run.HYPERCALL_ARGS), run.getLong(Structs.Run.HYPERCALL_ARGS + 8),
                        run.getLong(Structs.Run.HYPERCALL_ARGS + 16));
            }
            case Kvm.EXIT_MEMORY_FAULT -> {
                return new VcpuExit.Ended(memoryFault(run));
            }
            case Kvm.EXIT_INTR -> {
                return new VcpuExit.Interrupted();
            }
            case Kvm.EXIT_HLT -> {
                return other("HLT before the guest reported");
            }
            case Kvm.EXIT_SHUTDOWN -> {
                return other("SHUTDOWN (triple fault)");
            }
            case Kvm.EXIT_INTERNAL_ERROR -> {
                return other("INTERNAL_ERROR suberror " + run.getInt(Structs.Run.INTERNAL_SUBERROR));
            }
            case Kvm.EXIT_FAIL_ENTRY -> {
                return other("FAIL_ENTRY hardware reason 0x" + Long.toHexString(run.getLong(Structs.Run.FAIL_ENTRY_REASON)));
            }
            case Kvm.EXIT_EXCEPTION -> {
                return other("EXCEPTION exit");
            }
            default -> {
                return other("unexpected exit reason " + reason);
            }
        }
    }

    private static VcpuExit other(String reason) {
        return new VcpuExit.Ended(new Observation.OtherExit(reason));
    }

    private static Observation memoryFault(Pointer run) {
        long flags = run.getLong(Structs.Run.MEMORY_FAULT_FLAGS);
        return new Observation.MemoryFaultExit(run.getLong(Structs.Run.MEMORY_FAULT_GPA),
                run.getLong(Structs.Run.MEMORY_FAULT_SIZE), (flags & Kvm.MEMORY_EXIT_FLAG_PRIVATE) != 0);
    }
}
