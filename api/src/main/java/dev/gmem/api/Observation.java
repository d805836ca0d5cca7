package dev.gmem.api;

import java.util.List;

/**
 * What a target answered to one {@link Operation} (CONTRACT.md, "Every operation returns an
 * observation"). Plain values: the model predicts them, the kit compares them.
 */
public sealed interface Observation {

    /** Success with nothing to report. */
    record Ok() implements Observation {
        public static final Ok INSTANCE = new Ok();

        @Override
        public String toString() {
            return "ok";
        }
    }

    /** A guest_memfd was created; {@code gmem} is its handle in the session. */
    record Created(int gmem) implements Observation {
    }

    /** The bytes a host read returned. */
    record Read(Bytes bytes) implements Observation {
    }

    /** The 8-byte value a guest load returned. */
    record GuestValue(long value) implements Observation {
        @Override
        public String toString() {
            return "GuestValue[0x" + Long.toHexString(value) + "]";
        }
    }

    /** The size fstat reported. */
    record FileSize(long size) implements Observation {
    }

    /** A pin was taken; {@code pin} is its handle in the session. */
    record Pinned(int pin) implements Observation {
    }

    /** The call failed with an errno. */
    record Failed(Errno errno) implements Observation {
    }

    /** A conversion was refused (EAGAIN) because of the page at {@code errorOffset}. */
    record Refused(Errno errno, long errorOffset) implements Observation {
    }

    /** The host could not touch the page at {@code offset} (SIGBUS on a real access; observed as EFAULT). */
    record HostFault(long offset) implements Observation {
    }

    /** KVM_RUN = -1, errno EFAULT, exit KVM_EXIT_MEMORY_FAULT. */
    record MemoryFaultExit(long gpa, long size, boolean privateAccess) implements Observation {
        @Override
        public String toString() {
            return "MemoryFaultExit[gpa=0x" + Long.toHexString(gpa) + ", size=0x" + Long.toHexString(size)
                    + ", private=" + privateAccess + "]";
        }
    }

    /** KVM_EXIT_MMIO: the access hit no memory. */
    record MmioExit(long gpa, boolean write) implements Observation {
        @Override
        public String toString() {
            return "MmioExit[gpa=0x" + Long.toHexString(gpa) + ", write=" + write + "]";
        }
    }

    /**
     * KVM_EXIT_HYPERCALL for KVM_HC_MAP_GPA_RANGE with its arguments; {@code hostResult} is what the
     * host's policy returned to the guest after converting (0 on success, a negative errno else).
     */
    record HypercallExit(long gpa, long pages, long attributes, long hostResult) implements Observation {
        @Override
        public String toString() {
            return "HypercallExit[gpa=0x" + Long.toHexString(gpa) + ", pages=" + pages + ", attributes=0x"
                    + Long.toHexString(attributes) + ", hostResult=" + hostResult + "]";
        }
    }

    /** Any other end of a guest run: SHUTDOWN, INTERNAL_ERROR, an unexpected exit, a watchdog timeout. */
    record OtherExit(String reason) implements Observation {
    }

    /** The target cannot perform this operation; the reason names what is missing. */
    record Unsupported(String reason) implements Observation {
    }

    /**
     * How a mapping is backed, in bytes (/proc/self/smaps): the page size of its VMA, and how much of it is
     * mapped by anonymous and by file huge pages.
     */
    record MappingPages(long kernelPageSize, long anonHugePages, long filePmdMapped) implements Observation {
        /** A mapping of 4 KiB pages only. */
        public static final MappingPages SMALL = new MappingPages(GuestLayout.PAGE_SIZE, 0, 0);
    }

    /**
     * What the kernel reported since the previous look: taint bits newly set, and the first line of each
     * WARN, BUG, KASAN or Oops report in its log.
     */
    record KernelHealth(long newTaint, List<String> reports) implements Observation {
        public static final KernelHealth CLEAN = new KernelHealth(0, List.of());

        public KernelHealth {
            reports = List.copyOf(reports);
        }
    }

    /** The memory policy get_mempolicy answered. */
    record Policy(Mempolicy policy) implements Observation {
    }

    /** Per page, its node, or a negative errno (-ENOENT: no page there; -EFAULT: cannot be looked at). */
    record PageNodes(List<Integer> nodes) implements Observation {
        public PageNodes {
            nodes = List.copyOf(nodes);
        }
    }

    /** The NUMA nodes with memory, bit n for node n. */
    record NumaNodes(long mask) implements Observation {
        @Override
        public String toString() {
            return "NumaNodes[0x" + Long.toHexString(mask) + "]";
        }
    }
}
