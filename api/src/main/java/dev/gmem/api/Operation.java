package dev.gmem.api;

/**
 * One step of the abstract conversion API (CONTRACT.md, "Operations"). Operations are plain
 * values so that a sequence can be printed, stored, replayed, shrunk and translated to C.
 *
 * <p>Handles are small integers a session hands out in order: the n-th successful
 * {@link Create} of a session is guest_memfd {@code n} (from 0), the n-th successful {@link Pin}
 * is pin {@code n}. Guest physical addresses follow {@link GuestLayout}.
 */
public sealed interface Operation {

    OperationKind kind();

    /** KVM_CREATE_GUEST_MEMFD with raw flag bits, in the session's VM ({@code vm} 0) or a second VM (1). */
    record Create(int vm, long size, long flags) implements Operation {
        public OperationKind kind() { return OperationKind.CREATE; }
    }

    /** Closes guest_memfd {@code gmem} and unmaps the session's mappings of it. */
    record Close(int gmem) implements Operation {
        public OperationKind kind() { return OperationKind.CLOSE; }
    }

    /** Closes the fd of VM {@code vm}; its guest_memfds stay usable (LIFE). */
    record CloseVm(int vm) implements Operation {
        public OperationKind kind() { return OperationKind.CLOSE_VM; }
    }

    /**
     * Converts {@code [offset, offset + size)} of guest_memfd {@code gmem} to {@code target}, through
     * the edition's conversion call. Editions that convert per GPA (vm-attributes) convert the
     * range's canonical GPAs, {@link GuestLayout#gpa(int, long)}.
     */
    record Convert(int gmem, long offset, long size, PageState target, Raw raw) implements Operation {
        public OperationKind kind() { return OperationKind.CONVERT; }

        public static Convert of(int gmem, long offset, long size, PageState target) {
            return new Convert(gmem, offset, size, target, Raw.NONE);
        }

        /**
         * Request fields beyond the range that an ABI checks (or ignores); all zero in a well-formed call.
         * {@code extraAttributes} are attribute bits besides KVM_MEMORY_ATTRIBUTE_PRIVATE, which the
         * target sets from {@code target} itself.
         */
        public record Raw(long inputErrorOffset, long flags, long extraAttributes, long reserved) {
            public static final Raw NONE = new Raw(0, 0, 0, 0);

            public boolean isNone() {
                return equals(NONE);
            }
        }
    }

    /** mmap of the whole file with the given kind, unmapped again at once: only the answer matters (MMAP). */
    record Mmap(int gmem, MapKind mapKind) implements Operation {
        public OperationKind kind() { return OperationKind.MMAP; }
    }

    /**
     * The host reads {@code length} bytes at {@code offset} through one of its views of the file:
     * view 0 is the mapping made at creation, view 1 a second mapping of the same file made then
     * (as another process would hold). Never raises a signal: an inaccessible page is a HostFault.
     */
    record HostRead(int gmem, long offset, long length, int view) implements Operation {
        public OperationKind kind() { return OperationKind.HOST_READ; }
    }

    /** The host writes {@code length} bytes of {@code fill} at {@code offset} through a view (see HostRead). */
    record HostWrite(int gmem, long offset, long length, byte fill, int view) implements Operation {
        public OperationKind kind() { return OperationKind.HOST_WRITE; }
    }

    /** The host takes a page reference on {@code [offset, offset + length)} (vmsplice, GUP pin). */
    record Pin(int gmem, long offset, long length) implements Operation {
        public OperationKind kind() { return OperationKind.PIN; }
    }

    /** Drops the references of pin {@code pin}. */
    record Unpin(int pin) implements Operation {
        public OperationKind kind() { return OperationKind.UNPIN; }
    }

    /** fallocate(PUNCH_HOLE | KEEP_SIZE). */
    record PunchHole(int gmem, long offset, long length) implements Operation {
        public OperationKind kind() { return OperationKind.PUNCH_HOLE; }
    }

    /** fallocate(0) or fallocate(KEEP_SIZE). */
    record Allocate(int gmem, long offset, long length, boolean keepSize) implements Operation {
        public OperationKind kind() { return OperationKind.ALLOCATE; }
    }

    /** A file system call that guest_memfd refuses (FILE). */
    record FileCall(int gmem, FileSyscall call) implements Operation {
        public OperationKind kind() { return OperationKind.FILE_CALL; }
    }

    /** fstat: answers the file size. */
    record Stat(int gmem) implements Operation {
        public OperationKind kind() { return OperationKind.STAT; }
    }

    /** A vCPU loads 8 bytes at guest physical address {@code gpa}. */
    record GuestRead(long gpa) implements Operation {
        public OperationKind kind() { return OperationKind.GUEST_READ; }
    }

    /** A vCPU stores the 8-byte {@code value} at guest physical address {@code gpa}. */
    record GuestWrite(long gpa, long value) implements Operation {
        public OperationKind kind() { return OperationKind.GUEST_WRITE; }
    }

    /**
     * The guest asks for a conversion with KVM_HC_MAP_GPA_RANGE; the host's policy converts the
     * range through the edition's conversion call and returns the result to the guest.
     */
    record GuestRequestConversion(long gpa, long size, PageState target) implements Operation {
        public OperationKind kind() { return OperationKind.GUEST_REQUEST_CONVERSION; }
    }

    /** KVM_SET_USER_MEMORY_REGION2 with KVM_MEM_GUEST_MEMFD in the session's VM. */
    record Bind(int slot, int gmem, long offset, long size, long gpa) implements Operation {
        public OperationKind kind() { return OperationKind.BIND; }

        /** A binding at the range's canonical GPA. */
        public static Bind canonical(int slot, int gmem, long offset, long size) {
            return new Bind(slot, gmem, offset, size, GuestLayout.gpa(gmem, offset));
        }
    }

    /** Deletes memslot {@code slot} (memory_size 0). */
    record Unbind(int slot) implements Operation {
        public OperationKind kind() { return OperationKind.UNBIND; }
    }

    // --- regression probes (UPSTREAM.md §4) and NUMA mempolicy (UPSTREAM.md §3, 6.19); each acts on view 0
    // (the host's mapping made at creation) unless it names a view

    /** madvise over the whole of view 0. */
    record Madvise(int gmem, Advice advice) implements Operation {
        public OperationKind kind() { return OperationKind.MADVISE; }

        public enum Advice { HUGEPAGE, NOHUGEPAGE }
    }

    /** mlock over the whole of view 0: populates every page (a page the host cannot touch fails it). */
    record Mlock(int gmem) implements Operation {
        public OperationKind kind() { return OperationKind.MLOCK; }
    }

    /** munlock over the whole of view 0. */
    record Munlock(int gmem) implements Operation {
        public OperationKind kind() { return OperationKind.MUNLOCK; }
    }

    /** Reads how view 0 is mapped (/proc/self/smaps): answers {@link Observation.MappingPages}. */
    record InspectMapping(int gmem) implements Operation {
        public OperationKind kind() { return OperationKind.INSPECT_MAPPING; }
    }

    /**
     * What the kernel reported since the session's previous KernelHealth: new taint bits and WARN, BUG, KASAN
     * or Oops lines of the kernel log. The first in a session marks the start and reports nothing.
     */
    record KernelHealth() implements Operation {
        public OperationKind kind() { return OperationKind.KERNEL_HEALTH; }
    }

    /**
     * Closes guest_memfd {@code gmem} (its last reference) on one thread while another deletes memslot
     * {@code slot}, which binds it (CVE-2025-40274); EINVAL, doing nothing, when {@code slot} does not bind {@code gmem}.
     */
    record CloseWhileUnbinding(int gmem, int slot) implements Operation {
        public OperationKind kind() { return OperationKind.CLOSE_WHILE_UNBINDING; }
    }

    /** mbind over the whole of view {@code view}. */
    record Mbind(int gmem, int view, Mempolicy policy) implements Operation {
        public OperationKind kind() { return OperationKind.MBIND; }
    }

    /** get_mempolicy(MPOL_F_ADDR) at {@code offset} of view {@code view}: answers {@link Observation.Policy}. */
    record GetMempolicy(int gmem, int view, long offset) implements Operation {
        public OperationKind kind() { return OperationKind.GET_MEMPOLICY; }
    }

    /** The node of each page of {@code [offset, offset + length)} of view 0 (move_pages without nodes). */
    record PageNodes(int gmem, long offset, long length) implements Operation {
        public OperationKind kind() { return OperationKind.PAGE_NODES; }
    }

    /** The NUMA nodes with memory: answers {@link Observation.NumaNodes}. */
    record NumaNodes() implements Operation {
        public OperationKind kind() { return OperationKind.NUMA_NODES; }
    }
}
