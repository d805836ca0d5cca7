package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.MemoryAttributes;

import java.util.List;
import java.util.Map;

/**
 * What the running kernel offers, found by behaviour when the target opens (see {@link Discovery}).
 *
 * @param release              uname -r
 * @param vmTypes              KVM_CAP_VM_TYPES bit mask (bit n: VM type n can be created)
 * @param guestMemfdFlags      KVM_CAP_GUEST_MEMFD_FLAGS per VM type (absent: that type could not be created)
 * @param memoryAttributes     KVM_CAP_MEMORY_ATTRIBUTES per VM type
 * @param privateRequest       per VM type whose capability offers PRIVATE: the errno a one-page
 *                             KVM_SET_MEMORY_ATTRIBUTES(PRIVATE) answered (0: accepted)
 * @param exitHypercall        KVM_CAP_EXIT_HYPERCALL: the hypercalls that can exit to the host (bit mask)
 * @param inPlace              the signals of in-place conversion, cross-checked (the ioctl probe decides)
 * @param gupTest              /sys/kernel/debug/gup_test exists
 * @param guestRuns            null when a vCPU ran the test guest, else why not
 * @param hypercallExits       null when a guest vmcall reached the host as KVM_EXIT_HYPERCALL, else why not
 * @param capabilities         every capability read, by name, for reports
 * @param editions             the generations detected, preferred first
 * @param kernelFacts          the release-dependent answers, probed ({@link KernelFactsProbe})
 */
record KernelProfile(
        String release,
        long vmTypes,
        Map<Integer, Long> guestMemfdFlags,
        Map<Integer, Long> memoryAttributes,
        Map<Integer, Integer> privateRequest,
        long exitHypercall,
        InPlaceSignals inPlace,
        boolean gupTest,
        String guestRuns,
        String hypercallExits,
        Map<String, Long> capabilities,
        List<Edition> editions,
        KernelFacts kernelFacts) {

    boolean hasVmType(int type) {
        return (vmTypes & (1L << type)) != 0;
    }

    boolean privateMemory(int type) {
        return (memoryAttributes.getOrDefault(type, 0L) & MemoryAttributes.PRIVATE) != 0;
    }

    /** The VM of {@code type} offers PRIVATE and really accepts it on a GPA range. */
    boolean vmConvertsPrivate(int type) {
        return privateMemory(type) && privateRequest.getOrDefault(type, -1) == 0;
    }

    /** What KVM_SET_MEMORY_ATTRIBUTES2 answered on a guest_memfd, in words. */
    String attributes2() {
        return inPlace.probe();
    }

    boolean attributes2Present() {
        return inPlace.on();
    }
}
