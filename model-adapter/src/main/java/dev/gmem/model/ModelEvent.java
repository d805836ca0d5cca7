package dev.gmem.model;

import dev.gmem.api.ConvertCheck;
import dev.gmem.api.Edition;
import dev.gmem.api.ReferenceRule;

import java.util.Arrays;
import java.util.List;

/**
 * Interesting things a model step did, for run statistics and "this case never occurred" checks;
 * they are also the model's transitions whose coverage a run reports ({@link #possibleIn}).
 */
public enum ModelEvent {
    CREATED, CREATE_REJECTED, BAD_HANDLE, STAT_OK,
    CONVERTED, CONVERT_NOOP, CONVERT_REJECTED, CONVERT_REFUSED_REFERENCED, PENDING_ENTERED, PENDING_RESOLVED,
    HOST_ACCESS_OK, HOST_ACCESS_REJECTED, HOST_FAULT,
    PINNED, UNPINNED,
    PUNCHED, ALLOCATED, FALLOCATE_REJECTED,
    MMAP_OK, MMAP_REJECTED, FILE_CALL_REJECTED,
    GUEST_ACCESS_OK, GUEST_ACCESS_UNDEFINED, MEMORY_FAULT_EXIT, MMIO_EXIT, HYPERCALL_EXIT, GUEST_REQUEST_REJECTED,
    BOUND, BIND_REJECTED, UNBOUND,
    CLOSED, VM_CLOSED,
    MAPPING_ADVISED, MAPPING_LOCK_FAILED, MAPPING_INSPECTED, KERNEL_HEALTH, MEMPOLICY_SET, MEMPOLICY_READ, NUMA_READ,
    UNSUPPORTED;

    /** Whether the model of {@code e} can take this transition, read from the knobs {@link Transitions} reads. */
    public boolean occursIn(Edition e) {
        return switch (this) {
            case CONVERTED, CONVERT_REJECTED -> e.converts();
            case CONVERT_NOOP -> e.converts() && e.convertChecks().contains(ConvertCheck.SIZE_ZERO_IS_NOOP);
            case CONVERT_REFUSED_REFERENCED -> e.converts() && e.referenceRule() == ReferenceRule.REFUSE_EAGAIN;
            case PENDING_ENTERED, PENDING_RESOLVED -> e.converts() && e.referenceRule() == ReferenceRule.PENDING;
            case MMAP_OK -> e.mmapFlag() != 0;
            // a guest touching a page gmem-mmap cannot serve: neither private memory nor per-GPA attributes
            case GUEST_ACCESS_UNDEFINED -> !e.perGpa() && !e.privateMemory();
            case MEMORY_FAULT_EXIT -> e.perGpa() || e.privateMemory();
            case HYPERCALL_EXIT, GUEST_REQUEST_REJECTED -> e.guestRequestsConversion();
            // taken only by the REG and NUMA checks, whose operations SEQ does not generate (issue 10)
            case MAPPING_ADVISED, MAPPING_LOCK_FAILED, MAPPING_INSPECTED, KERNEL_HEALTH, MEMPOLICY_SET, MEMPOLICY_READ,
                    NUMA_READ -> false;
            // what a target answers for an operation it cannot do: no transition of the model
            case UNSUPPORTED -> false;
            default -> true;
        };
    }

    /** The transitions the model of {@code e} can take: what a run's transition coverage counts against. */
    public static List<ModelEvent> possibleIn(Edition e) {
        return Arrays.stream(values()).filter(v -> v.occursIn(e)).toList();
    }
}
