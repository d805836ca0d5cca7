package dev.gmem.model;

import dev.gmem.api.KernelFacts.PolicyScope;
import dev.gmem.api.Mempolicy;

/**
 * The NUMA policies mbind set on one guest_memfd: the file's shared policy (6.19's kvm_gmem_set_policy) and
 * each host view's own VMA policy (the only one before 6.19). Each mbind sets both, as mm/mempolicy.c's
 * vma_replace_policy does; which one get_mempolicy answers is the kernel's {@link PolicyScope}.
 */
record MemPolicies(Mempolicy file, Mempolicy view0, Mempolicy view1) {
    static final MemPolicies NONE = new MemPolicies(Mempolicy.DEFAULT, Mempolicy.DEFAULT, Mempolicy.DEFAULT);

    /** After an mbind of {@code policy} over the whole of view {@code view}. */
    MemPolicies set(int view, Mempolicy policy) {
        return new MemPolicies(policy, view == 0 ? policy : view0, view == 1 ? policy : view1);
    }

    /** What get_mempolicy answers through view {@code view} when the policy lives in {@code scope}'s place. */
    Mempolicy read(int view, PolicyScope scope) {
        return scope == PolicyScope.FILE ? file : view == 0 ? view0 : view1;
    }
}
