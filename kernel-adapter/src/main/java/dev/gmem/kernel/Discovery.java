package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.KernelFacts;
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
 * type, whether in-place conversion is on ({@link InPlaceSignals}: KVM_SET_MEMORY_ATTRIBUTES2 with
 * flags = 1 answers ENOTTY when absent, EINVAL when present, cross-checked with the module parameter
 * and the provisional capability), the release-dependent bind answers ({@link KernelFactsProbe}),
 * whether a vCPU runs and whether its hypercalls exit. No RFC-only number is ever sent here.
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
        int probeErrno = -1;
        String notAsked = "no VM could make a guest_memfd";
        long inPlaceCap = -1;
        KernelFactsProbe.Answers binds = new KernelFactsProbe.Answers(-1, -1, "no VM could be created");
        MempolicyProbe.Answer mempolicy = new MempolicyProbe.Answer(dev.gmem.api.KernelFacts.PolicyScope.EITHER,
                "mempolicy not probed: no default VM");
        for (int type : new int[] {Kvm.X86_DEFAULT_VM, Kvm.X86_SW_PROTECTED_VM}) {
            if ((vmTypes & (1L << type)) == 0) continue;
            Vm vm;
            try {
                vm = kvm.createVm(type);
            } catch (SysError e) {
                continue;
            }
            try {
                // the default VM maps guest_memfd on every kernel that can (6.18+); SW_PROTECTED only with in-place
                if (type == Kvm.X86_DEFAULT_VM) mempolicy = MempolicyProbe.probe(vm);
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
                int[] answer = attributes2(vm);
                // a VM with private memory decides; a default VM only when nothing better exists
                if (type == Kvm.X86_SW_PROTECTED_VM || probeErrno != Errnos.EINVAL) {
                    probeErrno = answer[0];
                    notAsked = answer[0] < 0 ? "KVM_CREATE_GUEST_MEMFD failed with " + Errnos.name(answer[1]) : null;
                    inPlaceCap = vm.checkExtension(Kvm.CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES);
                    // a memslot with a guest_memfd needs a VM that takes KVM_MEM_GUEST_MEMFD: SW_PROTECTED where it exists
                    binds = KernelFactsProbe.probe(vm);
                }
            } finally {
                vm.close();
            }
        }
        caps.put("KVM_CAP_EXIT_HYPERCALL", exitHypercall);
        boolean gupTest = Files.exists(Path.of(Kvm.GUP_TEST_PATH));
        String[] guest = guest(kvm, (vmTypes & (1L << Kvm.X86_SW_PROTECTED_VM)) != 0 ? Kvm.X86_SW_PROTECTED_VM
                : Kvm.X86_DEFAULT_VM, exitHypercall);
        caps.put("KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES(" + Kvm.CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES + ", provisional)",
                Math.max(0, inPlaceCap));
        InPlaceSignals inPlace = new InPlaceSignals(parameter(), inPlaceCap, probeErrno, notAsked,
                privateRequest.getOrDefault(Kvm.X86_SW_PROTECTED_VM, -1));
        String release = release();
        KernelFacts bindFacts = KernelFactsProbe.facts(binds, release);
        KernelFacts facts = bindFacts.withMempolicy(mempolicy.scope()).describedAs(bindFacts.generation(),
                bindFacts.decidedBy() + "; mempolicy per " + mempolicy.scope().name().toLowerCase() + ": "
                        + mempolicy.decidedBy());
        KernelProfile draft = new KernelProfile(release, vmTypes, flags, attributes, privateRequest, exitHypercall, inPlace,
                gupTest, guest[0], guest[1], caps, List.of(), facts);
        return new KernelProfile(release, vmTypes, flags, attributes, privateRequest, exitHypercall, inPlace, gupTest,
                guest[0], guest[1], caps, editions(draft), facts);
    }

    /** The generations the profile shows, newest first: the in-place ABI, then gmem-mmap, then VM attributes. */
    static List<Edition> editions(KernelProfile p) {
        List<Edition> out = new ArrayList<>();
        boolean sw = p.guestMemfdFlags().containsKey(Kvm.X86_SW_PROTECTED_VM);
        if (sw && p.inPlace().on()) out.add(Edition.INPLACE);
        if ((p.guestMemfdFlags().getOrDefault(Kvm.X86_DEFAULT_VM, 0L) & Kvm.GUEST_MEMFD_FLAG_MMAP) != 0) {
            out.add(Edition.GMEM_MMAP);
        }
        if (sw && p.vmConvertsPrivate(Kvm.X86_SW_PROTECTED_VM)) out.add(Edition.VM_ATTRIBUTES);
        return out;
    }

    /** The in-place ioctl probe's request: flags is its first check (UPSTREAM.md §2.3 row 10). */
    private static final Operation.Convert.Raw FLAGS_ONE = new Operation.Convert.Raw(0, 1, 0, 0);

    /**
     * KVM_SET_MEMORY_ATTRIBUTES2 with flags = 1 on a fresh one-page guest_memfd: {errno (0: success), 0},
     * or {-1, errno} when no guest_memfd could be made.
     */
    private static int[] attributes2(Vm vm) {
        int fd = vm.createGuestMemfd(Kvm.PAGE_SIZE, 0);
        if (fd < 0) return new int[] {-1, -fd};
        try (Memory request = new Memory(Structs.MemoryAttributes2.SIZE)) {
            return new int[] {KvmCalls.errnoOf(KvmCalls.setMemoryAttributes2(fd, request, 0, Kvm.PAGE_SIZE, false, FLAGS_ONE)), 0};
        } finally {
            LibC.close(fd);
        }
    }

    /** The in-place module parameter, trimmed, or null where the kernel has none. */
    static String parameter() {
        try {
            return Files.readString(Path.of(Kvm.GMEM_IN_PLACE_PARAMETER)).trim();
        } catch (java.io.IOException e) {
            return null;
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
