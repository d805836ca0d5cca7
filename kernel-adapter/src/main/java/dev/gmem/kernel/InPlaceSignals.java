package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.MemoryAttributes;

import java.util.ArrayList;
import java.util.List;

/**
 * The three signals of in-place conversion (UPSTREAM.md §2.3 row 10), cross-checked. The ioctl decides,
 * because it is the behaviour: KVM_SET_MEMORY_ATTRIBUTES2 with flags = 1 on a guest_memfd answers EINVAL
 * where the call exists and is on (flags is its first check), ENOTTY where it is absent or off. The module
 * parameter and the capability (a provisional number) only confirm; where they disagree, that is a fact
 * for the report, never a reason to decide otherwise.
 *
 * @param parameter      /sys/module/kvm/parameters/gmem_in_place_conversion, trimmed; null when absent
 * @param capability     KVM_CHECK_EXTENSION(KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES) on a VM; -1 when no VM answered
 * @param probeErrno     the ioctl probe's errno (0: it succeeded); -1 when it was not asked
 * @param notAsked       why the probe was not asked, else null
 * @param vmLevelPrivate the errno a VM-level KVM_SET_MEMORY_ATTRIBUTES(PRIVATE) on a SW_PROTECTED VM answered
 *                       (0: accepted); -1 when not asked (its VM offers no PRIVATE)
 */
record InPlaceSignals(String parameter, long capability, int probeErrno, String notAsked, int vmLevelPrivate) {

    static final String PRESENT = "present (EINVAL on flags = 1)";

    /** In-place conversion is on: the ioctl exists on a guest_memfd. */
    boolean on() {
        return probeErrno == Errnos.EINVAL;
    }

    /** What the ioctl probe answered, in words. */
    String probe() {
        if (notAsked != null) return "not asked: " + notAsked;
        if (probeErrno == Errnos.EINVAL) return PRESENT;
        if (probeErrno == Errnos.ENOTTY) return "absent (ENOTTY on a guest_memfd)";
        return "unclear: flags = 1 answered " + (probeErrno == 0 ? "success" : Errnos.name(probeErrno));
    }

    private boolean parameterOn() {
        return "Y".equals(parameter) || "1".equals(parameter);
    }

    /** The signals that contradict the ioctl probe, each in one line; empty when all agree. */
    List<String> disagreements() {
        List<String> out = new ArrayList<>();
        if (notAsked != null) return out;
        if (parameter != null && parameterOn() != on()) {
            out.add("kvm.gmem_in_place_conversion = " + parameter + " but KVM_SET_MEMORY_ATTRIBUTES2 is " + probe());
        }
        if (parameter == null && on()) {
            out.add("KVM_SET_MEMORY_ATTRIBUTES2 is " + PRESENT + " but " + Kvm.GMEM_IN_PLACE_PARAMETER + " is absent");
        }
        if (capability >= 0) {
            boolean offers = (capability & MemoryAttributes.PRIVATE) != 0;
            String cap = "KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES (" + Kvm.CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES
                    + ", a provisional number) reads 0x" + Long.toHexString(capability);
            if ((capability & ~MemoryAttributes.PRIVATE) != 0) {
                out.add(cap + ", not a PRIVATE bitmask: the number may belong to another capability");
            } else if (offers != on()) {
                out.add(cap + " but KVM_SET_MEMORY_ATTRIBUTES2 is " + probe() + ": the number may have moved");
            }
        }
        // 537ec2b15fdd: with in-place on, the VM-level call refuses PRIVATE
        if (on() && vmLevelPrivate == 0 && !Edition.INPLACE.vmLevelPrivate()) {
            out.add("KVM_SET_MEMORY_ATTRIBUTES(PRIVATE) on the VM is accepted though in-place conversion is on");
        }
        return out;
    }

    /** One line for reports: each signal, and what the cross-check found. */
    String describe() {
        List<String> d = disagreements();
        return "in-place conversion " + (on() ? "on" : "off or absent") + ": KVM_SET_MEMORY_ATTRIBUTES2 " + probe()
                + "; kvm.gmem_in_place_conversion " + (parameter == null ? "absent" : "= " + parameter)
                + "; capability " + Kvm.CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES + " = "
                + (capability < 0 ? "not asked" : "0x" + Long.toHexString(capability))
                + (d.isEmpty() ? "; the signals agree" : "; disagreement: " + String.join("; ", d));
    }
}
