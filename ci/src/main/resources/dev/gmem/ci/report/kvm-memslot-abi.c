#define KVM_SET_USER_MEMORY_REGION2   0x40A0AE49UL /* _IOW(KVMIO, 0x49, 160 bytes), VM fd */
#define KVM_MEM_GUEST_MEMFD           (1U << 2)
struct kvm_userspace_memory_region2 {
	uint32_t slot, flags;
	uint64_t guest_phys_addr, memory_size, userspace_addr, guest_memfd_offset;
	uint32_t guest_memfd, pad1;
	uint64_t pad2[14];
};
