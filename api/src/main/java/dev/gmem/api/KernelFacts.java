package dev.gmem.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a kernel answers where mainline changed the answer between releases (UPSTREAM.md §3), keyed
 * by behaviour rather than by one release: each fact is one answer, or {@link Answer#EITHER} where
 * nothing decided it. A target reports the facts it assumed and what decided them; the model allows
 * what they allow. Editions carry strict defaults; a kernel target overrides them from its probes.
 *
 * @param generation         the kernel generation assumed, in words, e.g. {@code 7.2 or later}
 * @param decidedBy          what decided it: a probe's answer, the release as a fallback, or an edition's default
 * @param bindOverlap        the errnos a binding overlapping another binding of the same guest_memfd may answer
 * @param hugeBindOffset     a binding below 2^63 whose guest_memfd_offset + size reaches 2^63 (without u64 overflow)
 * @param flagsOnlyGmemClear a flags-only memslot update clearing KVM_MEM_GUEST_MEMFD; the kit never sends it,
 *                           because before 6.19 it is a use-after-free (9935df5333aa): reported only
 * @param mempolicy          where an mbind on a guest_memfd mapping keeps its policy: in the file (6.19's shared
 *                           policy, which allocation honours) or in that one mapping only (before 6.19)
 */
public record KernelFacts(String generation, String decidedBy, Set<Errno> bindOverlap, Answer hugeBindOffset,
                          Answer flagsOnlyGmemClear, PolicyScope mempolicy) {

    /** Where mbind on a guest_memfd mapping keeps the policy. */
    public enum PolicyScope {
        /** In the file: every mapping reads it back, and guest_memfd allocates by it (6.19, kvm_gmem_set_policy). */
        FILE,
        /** In the mapping only (no vm_ops->set_policy): another mapping reads MPOL_DEFAULT, allocation ignores it. */
        MAPPING,
        /** Nowhere: mbind on a guest_memfd mapping fails with EINVAL. */
        NONE,
        /** Nothing decided it: any of the above is allowed. */
        EITHER
    }

    /** How a kernel answers one request whose answer changed. */
    public enum Answer {
        /** EINVAL. */
        REJECTED,
        /** Success. */
        ACCEPTED,
        /** Nothing decided it: either answer is allowed. */
        EITHER;

        public boolean allowsRejection() {
            return this != ACCEPTED;
        }

        public boolean allowsAcceptance() {
            return this != REJECTED;
        }
    }

    public KernelFacts {
        if (bindOverlap.isEmpty()) throw new IllegalArgumentException("bindOverlap needs at least one errno");
        bindOverlap = Set.copyOf(EnumSet.copyOf(bindOverlap));
    }

    /** 6.12 (the reference kernel), read from its virt/kvm/guest_memfd.c kvm_gmem_bind. */
    public static final KernelFacts MAINLINE_6_12 = new KernelFacts("6.12", "6.12 source",
            // kvm_gmem_bind: an overlapping xa_find → goto err, -EINVAL
            Set.of(Errno.EINVAL),
            // kvm_gmem_bind: u64 offset + size > i_size is an unsigned comparison
            Answer.REJECTED,
            // 9935df5333aa "Disallow toggling KVM_MEM_GUEST_MEMFD" is 6.19
            Answer.ACCEPTED,
            // 6.12 kvm_gmem_fops: no mmap, no set_policy
            PolicyScope.MAPPING);

    /** 6.18, probed on these machines. */
    public static final KernelFacts MAINLINE_6_18 = new KernelFacts("6.18", "probed on 6.18.44",
            // KERNEL-ABI.md §4: overlapping bindings of one guest_memfd → EINVAL
            Set.of(Errno.EINVAL),
            // probed on 6.18.44: offset 2^63 - 4096, size 4096 is bound; offset 2^63 is EINVAL
            Answer.ACCEPTED,
            // 9935df5333aa is 6.19
            Answer.ACCEPTED,
            // probed on 6.18.44: mbind on one mapping succeeds, a second mapping of the file reads MPOL_DEFAULT
            PolicyScope.MAPPING);

    /** 7.2 and later. */
    public static final KernelFacts FROM_7_2 = new KernelFacts("7.2 or later", "UPSTREAM.md §3",
            // tag message of merge 06ba195f136a (kvm-x86-gmem-7.2); 7.3 kvm_gmem_commit_memory_region returns -EEXIST
            Set.of(Errno.EEXIST),
            // 06ba195f136a: offset and size are unsigned; 7.3 kvm_gmem_prepare_memory_region takes uoff_t
            Answer.REJECTED,
            // 9935df5333aa (6.19)
            Answer.REJECTED,
            // merge of kvm-x86-gmem-6.19, 236831743ced: NUMA mempolicy on guest_memfd
            PolicyScope.FILE);

    /** Nothing decided: every answer any generation gives is allowed. */
    public static final KernelFacts UNKNOWN = new KernelFacts("unknown", "nothing decided it",
            Set.of(Errno.EINVAL, Errno.EEXIST), Answer.EITHER, Answer.EITHER, PolicyScope.EITHER);

    public boolean allowsOverlapErrno(Errno errno) {
        return bindOverlap.contains(errno);
    }

    public KernelFacts withOverlap(Set<Errno> errnos) {
        return new KernelFacts(generation, decidedBy, errnos, hugeBindOffset, flagsOnlyGmemClear, mempolicy);
    }

    public KernelFacts withHugeBindOffset(Answer answer) {
        return new KernelFacts(generation, decidedBy, bindOverlap, answer, flagsOnlyGmemClear, mempolicy);
    }

    public KernelFacts withFlagsOnlyGmemClear(Answer answer) {
        return new KernelFacts(generation, decidedBy, bindOverlap, hugeBindOffset, answer, mempolicy);
    }

    public KernelFacts withMempolicy(PolicyScope scope) {
        return new KernelFacts(generation, decidedBy, bindOverlap, hugeBindOffset, flagsOnlyGmemClear, scope);
    }

    public KernelFacts describedAs(String generation, String decidedBy) {
        return new KernelFacts(generation, decidedBy, bindOverlap, hugeBindOffset, flagsOnlyGmemClear, mempolicy);
    }

    /** One line for reports, e.g. {@code 7.2 or later (bind overlap answered EEXIST): overlap EEXIST, ...}. */
    public String summary() {
        return generation + " (" + decidedBy + "): bind overlap " + bindOverlap.stream().sorted().map(Errno::name)
                .reduce((a, b) -> a + " or " + b).orElse("") + ", huge guest_memfd_offset + size "
                + hugeBindOffset.name().toLowerCase() + ", flags-only clear of KVM_MEM_GUEST_MEMFD "
                + flagsOnlyGmemClear.name().toLowerCase() + ", mempolicy per " + mempolicy.name().toLowerCase();
    }
}
