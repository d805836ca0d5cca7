package dev.gmem.kernel;

/**
 * The byte layouts of every kernel struct the adapter passes (x86_64, little-endian), as sizes and
 * field offsets. Requests are filled into native buffers at these offsets: no JNA Structure
 * marshalling on the hot path.
 */
final class Structs {
    private Structs() {
    }

    /** {@code struct kvm_create_guest_memfd { u64 size; u64 flags; u64 reserved[6]; }} */
    static final class CreateGuestMemfd {
        static final int SIZE = 64;
        static final int SIZE_FIELD = 0;
        static final int FLAGS = 8;
        static final int RESERVED = 16;
    }

    /**
     * {@code struct kvm_userspace_memory_region2 { u32 slot; u32 flags; u64 guest_phys_addr; u64 memory_size;
     * u64 userspace_addr; u64 guest_memfd_offset; u32 guest_memfd; u32 pad1; u64 pad2[14]; }}
     */
    static final class UserMemoryRegion2 {
        static final int SIZE = 160;
        static final int SLOT = 0;
        static final int FLAGS = 4;
        static final int GUEST_PHYS_ADDR = 8;
        static final int MEMORY_SIZE = 16;
        static final int USERSPACE_ADDR = 24;
        static final int GUEST_MEMFD_OFFSET = 32;
        static final int GUEST_MEMFD = 40;
        static final int PAD1 = 44;
        static final int PAD2 = 48;
    }

    /** {@code struct kvm_memory_attributes { u64 address; u64 size; u64 attributes; u64 flags; }} */
    static final class MemoryAttributes {
        static final int SIZE = 32;
        static final int ADDRESS = 0;
        static final int SIZE_FIELD = 8;
        static final int ATTRIBUTES = 16;
        static final int FLAGS = 24;
    }

    /**
     * inplace-v8: {@code struct kvm_memory_attributes2 { union { u64 address; u64 offset; }; u64 size;
     * u64 attributes; u64 flags; u64 error_offset; u64 reserved[11]; }}
     */
    static final class MemoryAttributes2 {
        static final int SIZE = 128;
        static final int OFFSET = 0;
        static final int SIZE_FIELD = 8;
        static final int ATTRIBUTES = 16;
        static final int FLAGS = 24;
        static final int ERROR_OFFSET = 32;
        static final int RESERVED = 40;
        static final int RESERVED_WORDS = 11;
    }

    /** RFC v2 (never merged): {@code struct kvm_gmem_convert { u64 offset; u64 size; u64 error_offset; u64 reserved[5]; }} */
    static final class GmemConvert {
        static final int SIZE = 64;
        static final int OFFSET = 0;
        static final int SIZE_FIELD = 8;
        static final int ERROR_OFFSET = 16;
        static final int RESERVED = 24;
    }

    /** {@code struct kvm_enable_cap { u32 cap; u32 flags; u64 args[4]; u8 pad[64]; }} */
    static final class EnableCap {
        static final int SIZE = 104;
        static final int CAP = 0;
        static final int FLAGS = 4;
        static final int ARGS = 8;
    }

    /** {@code struct kvm_cpuid2 { u32 nent; u32 padding; struct kvm_cpuid_entry2 entries[]; }} (40-byte entries) */
    static final class CpuId2 {
        static final int SIZE = 8;
        static final int NENT = 0;
        static final int ENTRIES = 8;
        static final int ENTRY_SIZE = 40;
    }

    /** {@code struct kvm_regs}: rax rbx rcx rdx rsi rdi rsp rbp r8..r15 rip rflags, all u64. */
    static final class Regs {
        static final int SIZE = 144;
        static final int RAX = 0;
        static final int RBX = 8;
        static final int RCX = 16;
        static final int RDX = 24;
        static final int RSI = 32;
        static final int RDI = 40;
        static final int RSP = 48;
        static final int RBP = 56;
        static final int RIP = 128;
        static final int RFLAGS = 136;
    }

    /**
     * {@code struct kvm_sregs}: 8 kvm_segment (cs ds es fs gs ss tr ldt), gdt, idt, cr0 cr2 cr3 cr4 cr8
     * efer apic_base, interrupt_bitmap[4].
     */
    static final class Sregs {
        static final int SIZE = 312;
        static final int CS = 0;
        static final int DS = 24;
        static final int ES = 48;
        static final int FS = 72;
        static final int GS = 96;
        static final int SS = 120;
        static final int TR = 144;
        static final int LDT = 168;
        static final int GDT = 192;
        static final int IDT = 208;
        static final int CR0 = 224;
        static final int CR2 = 232;
        static final int CR3 = 240;
        static final int CR4 = 248;
        static final int CR8 = 256;
        static final int EFER = 264;
        static final int APIC_BASE = 272;
    }

    /**
     * {@code struct kvm_segment { u64 base; u32 limit; u16 selector; u8 type, present, dpl, db, s, l, g, avl,
     * unusable, padding; }}, relative to the segment's start.
     */
    static final class Segment {
        static final int SIZE = 24;
        static final int BASE = 0;
        static final int LIMIT = 8;
        static final int SELECTOR = 12;
        static final int TYPE = 14;
        static final int PRESENT = 15;
        static final int DPL = 16;
        static final int DB = 17;
        static final int S = 18;
        static final int L = 19;
        static final int G = 20;
        static final int AVL = 21;
        static final int UNUSABLE = 22;
    }

    /**
     * {@code struct kvm_run} (x86_64), the fields the runner reads; the exit union starts at 32.
     */
    static final class Run {
        static final int IMMEDIATE_EXIT = 1;
        static final int EXIT_REASON = 8;
        static final int UNION = 32;
        // io
        static final int IO_DIRECTION = 32;
        static final int IO_SIZE = 33;
        static final int IO_PORT = 34;
        static final int IO_COUNT = 36;
        static final int IO_DATA_OFFSET = 40;
        // mmio
        static final int MMIO_PHYS_ADDR = 32;
        static final int MMIO_DATA = 40;
        static final int MMIO_LEN = 48;
        static final int MMIO_IS_WRITE = 52;
        // hypercall
        static final int HYPERCALL_NR = 32;
        static final int HYPERCALL_ARGS = 40;
        static final int HYPERCALL_RET = 88;
        // internal error
        static final int INTERNAL_SUBERROR = 32;
        static final int INTERNAL_NDATA = 36;
        // fail_entry
        static final int FAIL_ENTRY_REASON = 32;
        // memory_fault
        static final int MEMORY_FAULT_FLAGS = 32;
        static final int MEMORY_FAULT_GPA = 40;
        static final int MEMORY_FAULT_SIZE = 48;
        /** Bytes the decoder needs; the real mapping is KVM_GET_VCPU_MMAP_SIZE long. */
        static final int MIN_SIZE = 2352;
    }

    /** {@code struct iovec { void *iov_base; size_t iov_len; }} */
    static final class Iovec {
        static final int SIZE = 16;
        static final int BASE = 0;
        static final int LEN = 8;
    }

    /** gup_test {@code struct pin_longterm_test { u64 addr; u64 size; u32 flags; }} (24 with padding). */
    static final class PinLongtermTest {
        static final int SIZE = 24;
        static final int ADDR = 0;
        static final int SIZE_FIELD = 8;
        static final int FLAGS = 16;
    }

    /** glibc {@code struct sigaction} (x86_64): handler, sa_mask[128 bytes], sa_flags, sa_restorer. */
    static final class SigAction {
        static final int SIZE = 152;
        static final int HANDLER = 0;
        static final int MASK = 8;
        static final int FLAGS = 136;
    }

    /** {@code struct utsname}: six 65-byte fields; release is the third. */
    static final class Utsname {
        static final int SIZE = 6 * 65;
        static final int RELEASE = 2 * 65;
    }
}
