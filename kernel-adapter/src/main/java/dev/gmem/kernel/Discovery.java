package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds out by behaviour what the kernel offers: capabilities read on /dev/kvm and on a VM of each
 * type, whether KVM_SET_MEMORY_ATTRIBUTES2 exists on a guest_memfd (a zeroed request answers
 * ENOTTY when absent, EINVAL when present: robust to its capability being renumbered), whether a
 * vCPU runs and whether its hypercalls exit. No RFC-only number is ever sent here.
 */
final class Discovery {
    private static final long PROBE_VALUE = 0x5A5A_1234_C0DE_0001L;
    /** The hypercall probe's watchdog: where vmcall never exits the guest hangs, and every open would wait. */
    private static final long HYPERCALL_PROBE_MS = 500;

    private Discovery() {
    }

    static KernelProfile probe(KvmDevice kvm) {
        Map<String, Long> caps = new LinkedHashMap<>();
        long vmTypes = kvm.checkExtension(Kvm.CAP_VM_TYPES);
        caps.put("KVM_CAP_VM_TYPES", vmTypes);
        if (vmTypes == 0) vmTypes = 1L << Kvm.X86_DEFAULT_VM; // before 6.8 only the default VM exists
        caps.put("KVM_CAP_USER_MEMORY2", kvm.checkExtension(Kvm.CAP_USER_MEMORY2));
        caps.put("KVM_CAP_MEMORY_FAULT_INFO", kvm.checkExtension(Kvm.CAP_MEMORY_FAULT_INFO));
        caps.put("KVM_CAP_GUEST_MEMFD", kvm.checkExtension(Kvm.CAP_GUEST_MEMFD));
        Map<Integer, Long> flags = new TreeMap<>();
        Map<Integer, Long> attributes = new TreeMap<>();
        Map<Integer, Integer> privateRequest = new TreeMap<>();
        long exitHypercall = 0;
        String attributes2 = "not asked: no VM could make a guest_memfd";
        for (int type : new int[] {Kvm.X86_DEFAULT_VM, Kvm.X86_SW_PROTECTED_VM}) {
            if ((vmTypes & (1L << type)) == 0) continue;
            Vm vm;
            try {
                vm = kvm.createVm(type);
            } catch (SysError e) {
                continue;
            }
            try {
                String suffix = type == Kvm.X86_DEFAULT_VM ? "" : "(type " + type + ")";
                flags.put(type, vm.checkExtension(Kvm.CAP_GUEST_MEMFD_FLAGS));
                attributes.put(type, vm.checkExtension(Kvm.CAP_MEMORY_ATTRIBUTES));
                caps.put("KVM_CAP_GUEST_MEMFD_FLAGS" + suffix, flags.get(type));
                caps.put("KVM_CAP_MEMORY_ATTRIBUTES" + suffix, attributes.get(type));
                if ((attributes.get(type) & MemoryAttributes.PRIVATE) != 0) {
                    // in-place kernels may report PRIVATE yet refuse it per VM (kvm.gmem_in_place_conversion=1)
                    privateRequest.put(type, vm.setMemoryAttributes(GuestLayout.BASE, Kvm.PAGE_SIZE,
                            MemoryAttributes.PRIVATE, 0));
                }
                exitHypercall = Math.max(exitHypercall, vm.checkExtension(Kvm.CAP_EXIT_HYPERCALL));
                String answer = attributes2(vm);
                // a VM with private memory decides; a default VM only when nothing better exists
                if (type == Kvm.X86_SW_PROTECTED_VM || !KernelProfile.ATTRIBUTES2_PRESENT.equals(attributes2)) {
                    attributes2 = answer;
                }
            } finally {
                vm.close();
            }
        }
        caps.put("KVM_CAP_EXIT_HYPERCALL", exitHypercall);
        boolean gupTest = Files.exists(Path.of(Kvm.GUP_TEST_PATH));
        String[] guest = guest(kvm, (vmTypes & (1L << Kvm.X86_SW_PROTECTED_VM)) != 0 ? Kvm.X86_SW_PROTECTED_VM
                : Kvm.X86_DEFAULT_VM, exitHypercall);
        KernelProfile draft = new KernelProfile(release(), vmTypes, flags, attributes, privateRequest, exitHypercall, attributes2,
                gupTest, guest[0], guest[1], caps, List.of());
        return new KernelProfile(draft.release(), vmTypes, flags, attributes, privateRequest, exitHypercall, attributes2, gupTest,
                guest[0], guest[1], caps, editions(draft));
    }

    /** The generations the profile shows, newest first: the in-place ABI, then gmem-mmap, then VM attributes. */
    static List<Edition> editions(KernelProfile p) {
        List<Edition> out = new ArrayList<>();
        boolean sw = p.guestMemfdFlags().containsKey(Kvm.X86_SW_PROTECTED_VM);
        if (sw && p.attributes2Present()) out.add(Edition.INPLACE_V8);
        if ((p.guestMemfdFlags().getOrDefault(Kvm.X86_DEFAULT_VM, 0L) & Kvm.GUEST_MEMFD_FLAG_MMAP) != 0) {
            out.add(Edition.GMEM_MMAP);
        }
        if (sw && p.vmConvertsPrivate(Kvm.X86_SW_PROTECTED_VM)) out.add(Edition.VM_ATTRIBUTES);
        return out;
    }

    /** A zeroed KVM_SET_MEMORY_ATTRIBUTES2 on a fresh one-page guest_memfd. */
    private static String attributes2(Vm vm) {
        int fd = vm.createGuestMemfd(Kvm.PAGE_SIZE, 0);
        if (fd < 0) return "not asked: KVM_CREATE_GUEST_MEMFD failed with " + Errnos.name(-fd);
        try (Memory request = new Memory(Structs.MemoryAttributes2.SIZE)) {
            int rc = KvmCalls.setMemoryAttributes2(fd, request, 0, 0, false, Operation.Convert.Raw.NONE);
            int errno = KvmCalls.errnoOf(rc);
            if (errno == Errnos.ENOTTY) return "absent (ENOTTY on a guest_memfd)";
            if (errno == Errnos.EINVAL) return KernelProfile.ATTRIBUTES2_PRESENT;
            return "unclear: a zeroed request answered " + (rc >= 0 ? "success" : Errnos.name(errno));
        } finally {
            LibC.close(fd);
        }
    }

    /** Runs the test guest once: a store and a load in its own memory, then a hypercall if one can exit. */
    private static String[] guest(KvmDevice kvm, int type, long exitHypercall) {
        String runs;
        String exits;
        Vm vm;
        try {
            vm = kvm.createVm(type);
        } catch (SysError e) {
            return new String[] {"no VM for a vCPU: " + e.getMessage(), "no vCPU"};
        }
        try (GuestRunner r = GuestRunner.start(vm)) {
            if (r.brokenReason() != null) return new String[] {r.brokenReason(), "no vCPU"};
            Observation w = r.write(GuestImage.SCRATCH, PROBE_VALUE);
            Observation v = r.read(GuestImage.SCRATCH);
            if (w instanceof Observation.Ok && v instanceof Observation.GuestValue g && g.value() == PROBE_VALUE) {
                runs = null;
            } else {
                runs = "the test guest did not run: store answered " + w + ", load answered " + v;
            }
            if (runs != null) {
                exits = "no vCPU";
            } else if ((exitHypercall & (1L << Kvm.HC_MAP_GPA_RANGE)) == 0) {
                exits = "KVM_CAP_EXIT_HYPERCALL = 0x" + Long.toHexString(exitHypercall)
                        + ": KVM_HC_MAP_GPA_RANGE cannot exit to the host";
            } else {
                Observation h = r.requestConversion(GuestLayout.BASE, Kvm.PAGE_SIZE, false, (gpa, size, p) -> 0,
                        HYPERCALL_PROBE_MS);
                exits = h instanceof Observation.HypercallExit ? null
                        : "a guest KVM_HC_MAP_GPA_RANGE did not reach the host as KVM_EXIT_HYPERCALL: " + h;
            }
        } finally {
            vm.close();
        }
        return new String[] {runs, exits};
    }

    static String release() {
        try (Memory uts = new Memory(Structs.Utsname.SIZE)) {
            if (LibC.uname(uts) < 0) return "unknown";
            return uts.getString(Structs.Utsname.RELEASE);
        }
    }
}
