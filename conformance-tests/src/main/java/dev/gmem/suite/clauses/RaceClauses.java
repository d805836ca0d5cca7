package dev.gmem.suite.clauses;

import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.ReferenceRule;
import dev.gmem.api.VmType;
import dev.gmem.race.Mix;
import dev.gmem.race.RaceCheck;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.ClauseProperty;
import dev.gmem.suite.EditionNeed;

import java.util.List;
import java.util.function.Predicate;

/**
 * The RACE clauses: what the contract says about operations that run at the same time. Each check
 * runs concurrent cases (a prefix, then 2–4 threads at once) whose operation mix makes the clause's
 * race likely, and decides each history's linearizability against the model ({@link RaceCheck});
 * a target whose sessions are not thread-safe has them skipped.
 */
public final class RaceClauses {
    private RaceClauses() {
    }

    /** A run of a concurrent case costs several sequential test cases: fewer of them. */
    private static final double TRIES = 0.3;
    private static final Predicate<Edition> REFUSING = new EditionNeed(
            "a conversion on the guest_memfd that refuses a pinned page with EAGAIN (in-place conversion)",
            e -> e.referenceRule() == ReferenceRule.REFUSE_EAGAIN);
    /** The host maps guest_memfd itself, so its accesses meet punches on the same pages. */
    private static final Predicate<Edition> HOST_MAPS_GMEM = new EditionNeed(
            "a host mmap of guest_memfd itself (GUEST_MEMFD_FLAG_MMAP)", e -> e.mmapFlag() != 0 && !e.hostViewIsSeparate());
    /** vCPUs access guest_memfd pages whose state the host or the guest converts in place. */
    private static final Predicate<Edition> GUEST_CONVERTS = new EditionNeed(
            "in-place conversion of the guest_memfd pages a vCPU accesses (a SW_PROTECTED VM converting on the guest_memfd)",
            e -> e.converts() && e.vmType() == VmType.SW_PROTECTED && e.conversionCall() != ConversionCall.VM_ATTRIBUTES);

    public static final Clause RACE_1 = race("RACE-1",
            "a conversion to private and a pin of the same page are linearizable: either the pin faults (it came after "
                    + "the conversion) or the conversion fails with EAGAIN and error_offset = that page",
            "conversions racing pins are linearizable", RaceClauses::race1_conversionsRacingPins)
            .binds(REFUSING)
            .peers(Peers.CONV_TEST + "elevated_refcount");

    public static final Clause RACE_2 = race("RACE-2",
            "a punch hole and host reads and writes of its range are linearizable: each access sees every page of the "
                    + "range as before the punch or as after it, never a mix",
            "punches racing host accesses are linearizable", RaceClauses::race2_punchesRacingHostAccesses)
            .binds(HOST_MAPS_GMEM);

    public static final Clause RACE_3 = race("RACE-3",
            "concurrent pins and unpins keep an exact reference count: a conversion to private fails with EAGAIN exactly "
                    + "while some pin of its range is held",
            "pins and unpins racing conversions are linearizable", RaceClauses::race3_pinsAndUnpinsRacingConversions)
            .binds(REFUSING);

    public static final Clause RACE_4 = race("RACE-4",
            "a guest access on one vCPU racing a conversion sees the page in either state, and a conversion to private "
                    + "succeeds or fails with a transient EAGAIN at a page a vCPU is accessing",
            "guest accesses racing conversions are linearizable", RaceClauses::race4_guestAccessesRacingConversions)
            .binds(GUEST_CONVERTS)
            .peers("googleprodkernel/linux-cc tools/testing/selftests/kvm/gmem_convert_fault_race.c");

    public static final Clause RACE_5 = race("RACE-5",
            "every concurrent history of host and guest operations is linearizable with respect to the model of the edition",
            "any concurrent operations are linearizable", RaceClauses::race5_anyConcurrentOperations);

    /** A clause checked by one property that runs fewer test cases ({@link #TRIES}). */
    private static Clause race(String id, String sentence, String checkName, ClauseProperty.Body check) {
        return Clause.of(id, sentence).check(ClauseProperty.of(checkName, check).withTriesFactor(TRIES));
    }

    static void race1_conversionsRacingPins(Checker k) {
        RaceCheck.run(k, Mix.CONVERT_PIN);
    }

    static void race2_punchesRacingHostAccesses(Checker k) {
        RaceCheck.run(k, Mix.PUNCH_ACCESS);
    }

    static void race3_pinsAndUnpinsRacingConversions(Checker k) {
        RaceCheck.run(k, Mix.PIN_COUNT);
    }

    static void race4_guestAccessesRacingConversions(Checker k) {
        RaceCheck.run(k, Mix.GUEST_CONVERSION);
    }

    static void race5_anyConcurrentOperations(Checker k) {
        RaceCheck.run(k, Mix.ALL);
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(RACE_1, RACE_2, RACE_3, RACE_4, RACE_5);
}
