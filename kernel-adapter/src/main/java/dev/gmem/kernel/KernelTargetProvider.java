package dev.gmem.kernel;

import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.ReferenceRule;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.TargetProvider;

import java.util.List;

/**
 * {@code -Dgmem.target=kernel} (the generations detected, preferred first) or
 * {@code kernel:<edition>} (that edition only). {@code kernel:rfc-v2-convert} is the only way the
 * never-merged RFC v2 numbers are sent: they collide with mainline numbers.
 */
public final class KernelTargetProvider implements TargetProvider {
    static final String SCHEME = "kernel";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "the running kernel through /dev/kvm: 'kernel' checks the generations it offers (found by behaviour),"
                + " 'kernel:gmem-mmap|vm-attributes|inplace|inplace-v8' one of them; 'kernel:rfc-v2-convert' sends the"
                + " never-merged RFC v2 KVM_GMEM_CONVERT_* numbers, which collide with mainline ones: only for a"
                + " kernel built with that series";
    }

    @Override
    public List<Target> create(String argument) throws TargetException {
        Edition asked = null;
        if (!argument.isEmpty()) {
            asked = Edition.byName(argument).orElseThrow(() -> new TargetException("unknown kernel edition '" + argument
                    + "': use kernel, kernel:gmem-mmap, kernel:vm-attributes, kernel:inplace, kernel:inplace-v8 or kernel:rfc-v2-convert"));
            if (asked == Edition.PENDING) {
                throw new TargetException("no kernel implements the pending design: check it with model:pending");
            }
        }
        KvmDevice kvm = KvmDevice.open();
        try {
            KernelProfile profile = Discovery.probe(kvm);
            List<Edition> editions;
            if (asked == null) {
                editions = profile.editions();
                if (editions.isEmpty()) {
                    throw new TargetException("kernel " + profile.release() + " offers no guest_memfd generation the kit"
                            + " knows (" + profile.capabilities() + "): it needs KVM_CAP_GUEST_MEMFD_FLAGS with MMAP,"
                            + " or a SW_PROTECTED VM with private memory");
                }
            } else if (asked == Edition.RFC_V2_CONVERT) {
                if (!profile.hasVmType(Kvm.X86_SW_PROTECTED_VM)) {
                    throw new TargetException("kernel:rfc-v2-convert needs KVM_X86_SW_PROTECTED_VM (KVM_CAP_VM_TYPES = 0x"
                            + Long.toHexString(profile.vmTypes()) + "): boot a kernel with the RFC v2 series");
                }
                editions = List.of(asked);
            } else {
                if (!offers(profile, asked)) {
                    throw new TargetException("kernel " + profile.release() + " does not offer " + asked.name()
                            + " (it offers " + (profile.editions().isEmpty() ? "none" : profile.editions()) + "; "
                            + missing(asked, profile) + ")");
                }
                editions = List.of(asked);
            }
            String name = asked == null ? SCHEME : SCHEME + ":" + asked.name();
            return List.of(new KernelTarget(name, kvm, profile, editions));
        } catch (TargetException | RuntimeException e) {
            kvm.close();
            throw e;
        }
    }

    /**
     * Detection names the in-place edition as applied (v13); any edition converting through
     * KVM_SET_MEMORY_ATTRIBUTES2 (such as inplace-v8) can be asked for where that call is on.
     */
    private static boolean offers(KernelProfile p, Edition asked) {
        if (p.editions().contains(asked)) return true;
        return asked.conversionCall() == ConversionCall.GMEM_ATTRIBUTES2 && asked.referenceRule() != ReferenceRule.PENDING
                && p.inPlace().on() && p.hasVmType(Kvm.X86_SW_PROTECTED_VM);
    }

    private static String missing(Edition e, KernelProfile p) {
        if (e.referenceRule() == ReferenceRule.PENDING) return "not detected";
        return switch (e.conversionCall()) {
            case NONE -> "KVM_CAP_GUEST_MEMFD_FLAGS = 0x"
                    + Long.toHexString(p.guestMemfdFlags().getOrDefault(Kvm.X86_DEFAULT_VM, 0L)) + " lacks MMAP";
            case VM_ATTRIBUTES -> p.hasVmType(Kvm.X86_SW_PROTECTED_VM)
                    ? (p.privateMemory(Kvm.X86_SW_PROTECTED_VM)
                        ? "KVM_SET_MEMORY_ATTRIBUTES(PRIVATE) on a SW_PROTECTED VM answers "
                            + Errnos.name(p.privateRequest().getOrDefault(Kvm.X86_SW_PROTECTED_VM, 0))
                        : "KVM_CAP_MEMORY_ATTRIBUTES on a SW_PROTECTED VM lacks PRIVATE")
                    : "KVM_CAP_VM_TYPES = 0x" + Long.toHexString(p.vmTypes()) + ": no SW_PROTECTED VM";
            case GMEM_ATTRIBUTES2 -> "KVM_SET_MEMORY_ATTRIBUTES2 is " + p.attributes2();
            default -> "not detected";
        };
    }
}
