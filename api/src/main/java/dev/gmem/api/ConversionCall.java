package dev.gmem.api;

/** How an ABI generation converts pages (KERNEL-ABI.md §1). */
public enum ConversionCall {
    /** No conversion: each page's state is fixed at creation (6.18 gmem-mmap). */
    NONE,
    /** KVM_SET_MEMORY_ATTRIBUTES on the VM fd, per GPA range. */
    VM_ATTRIBUTES,
    /** KVM_GMEM_CONVERT_SHARED / _PRIVATE on the guest_memfd (RFC v2, never merged). */
    GMEM_CONVERT,
    /** KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd (in-place conversion v8). */
    GMEM_ATTRIBUTES2
}
