package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.OperationKind;
import dev.gmem.api.TargetException;
import dev.gmem.api.TargetProvider;
import dev.gmem.api.Targets;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelTargetProviderTest {
    private static final String PRESENT = InPlaceSignals.PRESENT;

    private static KernelProfile profile(long vmTypes, Map<Integer, Long> flags, Map<Integer, Long> attributes,
                                         String attributes2, String guest, String hypercalls) {
        return profile(vmTypes, flags, attributes, Map.of(1, 0), attributes2, guest, hypercalls);
    }

    private static KernelProfile profile(long vmTypes, Map<Integer, Long> flags, Map<Integer, Long> attributes,
                                         Map<Integer, Integer> privateRequest, String attributes2, String guest,
                                         String hypercalls) {
        int probe = attributes2.equals(PRESENT) ? Errnos.EINVAL : Errnos.ENOTTY;
        InPlaceSignals inPlace = new InPlaceSignals(null, 0, probe, null, privateRequest.getOrDefault(1, -1));
        KernelProfile p = new KernelProfile("test", vmTypes, flags, attributes, privateRequest, 0, inPlace, false,
                guest, hypercalls, Map.of(), List.of(), KernelFacts.UNKNOWN);
        return new KernelProfile("test", vmTypes, flags, attributes, privateRequest, 0, inPlace, false, guest,
                hypercalls, Map.of(), Discovery.editions(p), KernelFacts.UNKNOWN);
    }

    @Test
    void registeredUnderTheKernelScheme() {
        assertThat(Targets.providers()).extracting(TargetProvider::scheme).contains("kernel");
        assertThat(new KernelTargetProvider().description()).contains("rfc-v2-convert").contains("collide");
    }

    @Test
    void badEditionNamesAreOneClearLine() {
        assertThatThrownBy(() -> new KernelTargetProvider().create("nonsense"))
                .isInstanceOf(TargetException.class)
                .hasMessage("unknown kernel edition 'nonsense': use kernel, kernel:gmem-mmap, kernel:vm-attributes,"
                        + " kernel:inplace, kernel:inplace-v8 or kernel:rfc-v2-convert");
        assertThatThrownBy(() -> new KernelTargetProvider().create("pending"))
                .isInstanceOf(TargetException.class).hasMessageContaining("model:pending");
    }

    @Test
    void generationsAreDetectedFromBehaviourNewestFirst() {
        KernelProfile k618 = profile(1, Map.of(0, 3L), Map.of(0, 0L), "absent (ENOTTY on a guest_memfd)", null, "x");
        assertThat(k618.editions()).containsExactly(Edition.GMEM_MMAP);
        KernelProfile k612 = profile(3, Map.of(0, 0L, 1, 0L), Map.of(0, 0L, 1, 8L), "absent (ENOTTY on a guest_memfd)",
                null, null);
        assertThat(k612.editions()).containsExactly(Edition.VM_ATTRIBUTES);
        KernelProfile inPlace = profile(3, Map.of(0, 3L, 1, 3L), Map.of(0, 0L, 1, 8L), PRESENT,
                null, null);
        assertThat(inPlace.editions()).as("detection names v13 as applied")
                .containsExactly(Edition.INPLACE, Edition.GMEM_MMAP, Edition.VM_ATTRIBUTES);
        KernelProfile none = profile(1, Map.of(0, 0L), Map.of(0, 0L), "absent", null, null);
        assertThat(none.editions()).isEmpty();
        KernelProfile inPlaceOnly = profile(3, Map.of(0, 3L, 1, 3L), Map.of(0, 0L, 1, 8L), Map.of(1, 22),
                PRESENT, null, null);
        assertThat(inPlaceOnly.editions()).as("PRIVATE offered but refused per VM")
                .containsExactly(Edition.INPLACE, Edition.GMEM_MMAP);
        assertThat(new KernelTarget("kernel", null, inPlaceOnly, List.of()).capabilities(Edition.VM_ATTRIBUTES)
                .whyNot(dev.gmem.api.OperationKind.CONVERT)).hasValueSatisfying(r -> assertThat(r).contains("answers EINVAL"));
    }

    @Test
    void capabilitiesNameWhatIsMissing() {
        KernelProfile k618 = profile(1, Map.of(0, 3L), Map.of(0, 0L), "absent (ENOTTY on a guest_memfd)", null,
                "a guest KVM_HC_MAP_GPA_RANGE did not reach the host");
        KernelTarget t = new KernelTarget("kernel", null, k618, k618.editions());
        var caps = t.capabilities(Edition.GMEM_MMAP);
        assertThat(caps.whyNot(OperationKind.CONVERT)).hasValueSatisfying(r ->
                assertThat(r).startsWith("KVM_CAP_MEMORY_ATTRIBUTES = 0: no private memory on this kernel"));
        assertThat(caps.supports(OperationKind.GUEST_READ)).isTrue();
        assertThat(caps.supports(OperationKind.PIN)).isTrue();
        assertThat(caps.whyNot(OperationKind.GUEST_REQUEST_CONVERSION)).isPresent();

        KernelProfile noVcpu = profile(3, Map.of(0, 0L, 1, 0L), Map.of(0, 0L, 1, 8L), "absent", "KVM_CREATE_VCPU failed: EINVAL",
                "no vCPU");
        var c612 = new KernelTarget("kernel", null, noVcpu, noVcpu.editions()).capabilities(Edition.VM_ATTRIBUTES);
        assertThat(c612.supports(OperationKind.CONVERT)).isTrue();
        assertThat(c612.whyNot(OperationKind.GUEST_READ)).hasValue("KVM_CREATE_VCPU failed: EINVAL");
        assertThat(c612.whyNot(OperationKind.GUEST_REQUEST_CONVERSION)).hasValue("KVM_CREATE_VCPU failed: EINVAL");

        var inplace = new KernelTarget("kernel", null, noVcpu, List.of()).capabilities(Edition.INPLACE);
        assertThat(inplace.whyNot(OperationKind.CONVERT)).hasValue("KVM_SET_MEMORY_ATTRIBUTES2 is absent (ENOTTY on a guest_memfd)");
    }
}
