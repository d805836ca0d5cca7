package dev.gmem.kernel;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.OperationKind;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.VmType;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The running kernel, through /dev/kvm, speaking the editions {@link Discovery} found (or the one asked for). */
public final class KernelTarget implements Target {
    private final String name;
    private final KvmDevice kvm;
    private final KernelProfile profile;
    private final List<Edition> editions;

    KernelTarget(String name, KvmDevice kvm, KernelProfile profile, List<Edition> editions) {
        this.name = name;
        this.kvm = kvm;
        this.profile = profile;
        this.editions = List.copyOf(editions);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Edition> editions() {
        return editions;
    }

    KernelProfile profile() {
        return profile;
    }

    @Override
    public Capabilities capabilities(Edition edition) {
        Map<OperationKind, String> no = new EnumMap<>(OperationKind.class);
        Conversion conversion = Conversion.of(edition);
        String convert = conversion.whyUnsupported(profile);
        if (convert != null) no.put(OperationKind.CONVERT, convert);
        if (profile.guestRuns() != null) {
            no.put(OperationKind.GUEST_READ, profile.guestRuns());
            no.put(OperationKind.GUEST_WRITE, profile.guestRuns());
        }
        String request = whyNoGuestRequest(edition, convert);
        if (request != null) no.put(OperationKind.GUEST_REQUEST_CONVERSION, request);
        List<String> findings = new ArrayList<>();
        findings.add("kernel " + profile.release() + "; generations detected: " + names(profile.editions()));
        findings.add("capabilities: " + capabilityText());
        findings.add(profile.inPlace().describe());
        findings.add("kernel facts: " + profile.kernelFacts().summary());
        findings.add("vCPU: " + (profile.guestRuns() == null ? "runs the test guest" : profile.guestRuns()));
        findings.add("hypercall exits: " + (profile.hypercallExits() == null ? "KVM_HC_MAP_GPA_RANGE reaches the host"
                : profile.hypercallExits()));
        findings.add("pins: vmsplice into a pipe" + (profile.gupTest() ? " (gup_test present)" : " (no gup_test)"));
        if (conversion.warning() != null) findings.add(conversion.warning());
        return new Capabilities(no, findings);
    }

    private String whyNoGuestRequest(Edition edition, String noConversion) {
        if (!edition.guestRequestsConversion()) return edition.name() + " has no guest-requested conversion";
        if (noConversion != null) return noConversion;
        if (profile.guestRuns() != null) return profile.guestRuns();
        return profile.hypercallExits();
    }

    private String capabilityText() {
        return profile.capabilities().entrySet().stream()
                .map(e -> e.getKey() + "=0x" + Long.toHexString(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String names(List<Edition> editions) {
        return editions.isEmpty() ? "none" : editions.stream().map(Edition::name).collect(Collectors.joining(", "));
    }

    @Override
    public Session open(Edition edition) throws TargetException {
        if (!editions.contains(edition)) {
            throw new TargetException("target " + name + " does not speak " + edition.name() + " (it speaks "
                    + names(editions) + ")");
        }
        if (edition.vmType() == VmType.SW_PROTECTED && !profile.hasVmType(Kvm.X86_SW_PROTECTED_VM)) {
            throw new TargetException(edition.name() + " needs KVM_X86_SW_PROTECTED_VM, which this kernel lacks"
                    + " (KVM_CAP_VM_TYPES = 0x" + Long.toHexString(profile.vmTypes()) + "): build it with"
                    + " CONFIG_KVM_SW_PROTECTED_VM=y or run inside ci/vm-run");
        }
        try {
            return new KernelSession(kvm, edition, capabilities(edition));
        } catch (SysError e) {
            throw new TargetException("cannot open a session on " + name + ": " + e.getMessage());
        }
    }

    /** Sessions take operations from several threads at once (each thread its own buffers and vCPU). */
    @Override
    public boolean threadSafeSessions() {
        return true;
    }

    /** What this kernel answered where releases differ, whatever the edition: it is the kernel's, not the edition's. */
    @Override
    public KernelFacts kernelFacts(Edition edition) {
        return profile.kernelFacts();
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("kernel.release", profile.release());
        facts.put("kernel.generations", names(profile.editions()));
        facts.put("kernel.editions.checked", names(editions));
        facts.put("kvm.capabilities", capabilityText());
        facts.put("kvm.set_memory_attributes2", profile.attributes2());
        facts.put("kvm.in_place", profile.inPlace().describe());
        facts.put("kernel.facts", profile.kernelFacts().summary());
        facts.put("kvm.vcpu", profile.guestRuns() == null ? "runs" : profile.guestRuns());
        facts.put("kvm.hypercall_exit", profile.hypercallExits() == null ? "exits" : profile.hypercallExits());
        facts.put("kvm.gup_test", Boolean.toString(profile.gupTest()));
        return facts;
    }

    @Override
    public String toString() {
        return name;
    }
}
