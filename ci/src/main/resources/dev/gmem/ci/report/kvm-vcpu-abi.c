#define KVM_GET_VCPU_MMAP_SIZE        0xAE04UL     /* _IO(KVMIO, 0x04), include/uapi/linux/kvm.h, x86_64 */
#define KVM_GET_SUPPORTED_CPUID       0xC008AE05UL /* _IOWR(KVMIO, 0x05, struct kvm_cpuid2) */
#define KVM_CREATE_VCPU               0xAE41UL     /* _IO(KVMIO, 0x41) */
#define KVM_RUN                       0xAE80UL     /* _IO(KVMIO, 0x80) */
#define KVM_GET_REGS                  0x8090AE81UL /* _IOR(KVMIO, 0x81, 144 bytes) */
#define KVM_SET_REGS                  0x4090AE82UL /* _IOW(KVMIO, 0x82, 144 bytes) */
#define KVM_GET_SREGS                 0x8138AE83UL /* _IOR(KVMIO, 0x83, 312 bytes) */
#define KVM_SET_SREGS                 0x4138AE84UL /* _IOW(KVMIO, 0x84, 312 bytes) */
#define KVM_SET_CPUID2                0x4008AE90UL /* _IOW(KVMIO, 0x90, struct kvm_cpuid2) */
#define KVM_EXIT_IO                   2
#define KVM_EXIT_HYPERCALL            3
#define KVM_EXIT_MMIO                 6
#define KVM_EXIT_INTR                 10
#define KVM_EXIT_MEMORY_FAULT         39
#define KVM_MEMORY_EXIT_FLAG_PRIVATE  (1ULL << 3)

struct kvm_regs { uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags; };
struct kvm_segment { uint64_t base; uint32_t limit; uint16_t selector; uint8_t type, present, dpl, db, s, l, g, avl, unusable, padding; };
struct kvm_sregs {
	struct kvm_segment cs, ds, es, fs, gs, ss, tr, ldt;
	struct { uint64_t base; uint16_t limit, padding[3]; } gdt, idt;
	uint64_t cr0, cr2, cr3, cr4, cr8, efer, apic_base, interrupt_bitmap[4];
};
struct kvm_cpuid2 { uint32_t nent, padding; struct { uint32_t function, index, flags, eax, ebx, ecx, edx, padding[3]; } entries[256]; };
struct kvm_run { /* its head: immediate_exit, exit_reason and (at byte 32) the exit's data */
	uint8_t request_interrupt_window, immediate_exit, padding1[6];
	uint32_t exit_reason, unused[5];
	union {
		struct { uint8_t direction, size; uint16_t port; uint32_t count; uint64_t data_offset; } io;
		struct { uint64_t phys_addr; uint8_t data[8]; uint32_t len; uint8_t is_write; } mmio;
		struct { uint64_t nr, args[6], ret, flags; } hypercall;
		struct { uint64_t flags, gpa, size; } memory_fault;
	};
};
