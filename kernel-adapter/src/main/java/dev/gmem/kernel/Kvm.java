package dev.gmem.kernel;

/** KVM constants other than ioctl numbers (KERNEL-ABI.md §2; include/uapi/linux/kvm.h, x86_64). */
final class Kvm {
    private Kvm() {
    }

    static final int API_VERSION = 12;

    // capabilities (KVM_CHECK_EXTENSION)
    static final int CAP_EXIT_HYPERCALL = 201;
    static final int CAP_USER_MEMORY2 = 231;
    static final int CAP_MEMORY_FAULT_INFO = 232;
    static final int CAP_MEMORY_ATTRIBUTES = 233;
    static final int CAP_GUEST_MEMFD = 234;
    static final int CAP_VM_TYPES = 235;
    static final int CAP_GUEST_MEMFD_FLAGS = 244;
    /**
     * In-place conversion's capability, a PRIVATE bitmask: 250 in v8, provisional upstream (UPSTREAM.md §2.1 [G]);
     * 7.3's kvm.h already gives 250 to KVM_CAP_PPC_COMPAT_CAPS. Only a cross-check: detection never rests on it.
     */
    static final int CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES = 250;

    /** The module parameter of in-place conversion (681f3b68f435); absent before the series. */
    static final String GMEM_IN_PLACE_PARAMETER = "/sys/module/kvm/parameters/gmem_in_place_conversion";

    // guest_memfd flags, mainline
    static final long GUEST_MEMFD_FLAG_MMAP = 1L << 0;
    static final long GUEST_MEMFD_FLAG_INIT_SHARED = 1L << 1;

    /** Memslot flag: the slot's private memory comes from a guest_memfd. */
    static final int MEM_GUEST_MEMFD = 1 << 2;

    // VM types
    static final int X86_DEFAULT_VM = 0;
    static final int X86_SW_PROTECTED_VM = 1;

    // exit reasons
    static final int EXIT_UNKNOWN = 0;
    static final int EXIT_EXCEPTION = 1;
    static final int EXIT_IO = 2;
    static final int EXIT_HYPERCALL = 3;
    static final int EXIT_DEBUG = 4;
    static final int EXIT_HLT = 5;
    static final int EXIT_MMIO = 6;
    static final int EXIT_SHUTDOWN = 8;
    static final int EXIT_FAIL_ENTRY = 9;
    static final int EXIT_INTR = 10;
    static final int EXIT_INTERNAL_ERROR = 17;
    static final int EXIT_SYSTEM_EVENT = 24;
    static final int EXIT_MEMORY_FAULT = 39;

    static final long MEMORY_EXIT_FLAG_PRIVATE = 1L << 3;

    // KVM_EXIT_IO direction
    static final int EXIT_IO_IN = 0;
    static final int EXIT_IO_OUT = 1;

    // hypercalls
    static final long HC_MAP_GPA_RANGE = 12;
    /** KVM_MAP_GPA_RANGE_ENCRYPTED in the attributes argument: the range becomes private. */
    static final long MAP_GPA_RANGE_ENCRYPTED = 1L << 4;
    static final long MAP_GPA_RANGE_PAGE_SZ_4K = 0;

    // gup_test
    static final String GUP_TEST_PATH = "/sys/kernel/debug/gup_test";
    static final int GUP_PIN_LONGTERM_WRITE = 1;

    static final long PAGE_SIZE = 4096;
}
