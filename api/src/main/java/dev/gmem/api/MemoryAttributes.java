package dev.gmem.api;

/**
 * The KVM memory attribute bits a conversion request and a hypercall exit carry
 * (include/uapi/linux/kvm.h), defined here once for every target and the suite.
 */
public final class MemoryAttributes {
    /** KVM_MEMORY_ATTRIBUTE_PRIVATE: the page is private to the guest. */
    public static final long PRIVATE = 1L << 3;

    private MemoryAttributes() {
    }
}
