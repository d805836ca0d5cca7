package dev.gmem.race;

import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.ReferenceRule;
import dev.gmem.api.VmType;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The RACE clause group: what the contract says about operations that run at the same time. Each
 * is checked by {@link RaceClause#check} (concurrent cases, linearizability against the model).
 * Ready to be registered in the catalogue; the kernel adapter's concurrent sessions are phase 2.
 */
public final class RaceClauses {
    private RaceClauses() {
    }

    /** The contract refuses to convert a referenced page to private (EAGAIN). */
    private static final Predicate<Edition> REFUSING = e -> e.referenceRule() == ReferenceRule.REFUSE_EAGAIN;
    /** The host maps guest_memfd itself, so its accesses meet punches and conversions on the same pages. */
    private static final Predicate<Edition> HOST_MAPS_GMEM = e -> e.mmapFlag() != 0 && !e.hostViewIsSeparate();
    /** vCPUs access guest_memfd pages whose state the host or the guest converts. */
    private static final Predicate<Edition> GUEST_CONVERTS = e -> e.converts() && e.vmType() == VmType.SW_PROTECTED
            && e.conversionCall() != ConversionCall.VM_ATTRIBUTES;
    private static final String KVM_TESTS = "tools/testing/selftests/kvm/";

    private static final List<RaceClause> ALL = List.of(
            new RaceClause("RACE-1", "a conversion to private and a pin of the same page are linearizable: either the pin "
                    + "faults (it came after the conversion) or the conversion fails with EAGAIN and error_offset = that page",
                    REFUSING, List.of(KVM_TESTS + "guest_memfd_conversions_test.c:elevated_refcount"), Mix.CONVERT_PIN),
            new RaceClause("RACE-2", "a punch hole and host reads and writes of its range are linearizable: each access "
                    + "sees every page of the range as before the punch or as after it, never a mix",
                    HOST_MAPS_GMEM, List.of(KVM_TESTS + "guest_memfd_test.c:test_fallocate"), Mix.PUNCH_ACCESS),
            new RaceClause("RACE-3", "concurrent pins and unpins keep an exact reference count: a conversion to private "
                    + "fails with EAGAIN exactly while some pin of its range is held",
                    REFUSING, List.of(), Mix.PIN_COUNT),
            new RaceClause("RACE-4", "a guest access on one vCPU racing a conversion sees the page in either state, and the "
                    + "conversion to private succeeds or fails with a transient EAGAIN at a page a vCPU is accessing",
                    GUEST_CONVERTS, List.of("googleprodkernel/linux-cc " + KVM_TESTS + "gmem_convert_fault_race.c"),
                    Mix.GUEST_CONVERSION),
            new RaceClause("RACE-5", "every concurrent history of host and guest operations is linearizable with respect "
                    + "to the model of the edition", e -> true, List.of(), Mix.ALL));

    public static List<RaceClause> all() {
        return ALL;
    }

    public static Optional<RaceClause> byId(String id) {
        return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
