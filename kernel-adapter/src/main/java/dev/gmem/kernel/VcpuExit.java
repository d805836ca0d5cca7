package dev.gmem.kernel;

import dev.gmem.api.Observation;

/** Why KVM_RUN came back, as the runner needs it (decoded by {@link ExitDecoder}). */
sealed interface VcpuExit {

    /** The guest wrote to the report port: the operation finished. */
    record Reported() implements VcpuExit {
    }

    /** KVM_EXIT_HYPERCALL: the host must answer in {@code hypercall.ret} and run again. */
    record Hypercall(long nr, long arg0, long arg1, long arg2) implements VcpuExit {
    }

    /** KVM_RUN stopped on a signal or immediate_exit (EINTR / KVM_EXIT_INTR). */
    record Interrupted() implements VcpuExit {
    }

    /** The run ended with an observation of its own (memory fault, MMIO, shutdown, ...). */
    record Ended(Observation observation) implements VcpuExit {
    }
}
