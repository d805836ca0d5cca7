package dev.gmem.suite.clauses;

import dev.gmem.api.Edition;
import dev.gmem.api.MapKind;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;

import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.api.PageState.PRIVATE;
import static dev.gmem.api.PageState.SHARED;
import static dev.gmem.suite.Moves.create;
import static dev.gmem.suite.Moves.createShared;

/** The MMAP clauses of CONTRACT.md, each with its check. */
public final class MmapClauses {
    private MmapClauses() {
    }

    public static final Clause MMAP_1 = Clause.of("MMAP-1",
            "mmap of a guest_memfd needs the MMAP flag: without it mmap fails")
            .reachedBy(ModelEvent.MMAP_OK, ModelEvent.MMAP_REJECTED)
            .peers(Peers.GMEM_TEST + "test_mmap_supported", Peers.GMEM_TEST + "test_mmap_not_supported")
            .check("mmap needs the MMAP flag", MmapClauses::mmap1_mmapNeedsTheMmapFlag);

    public static final Clause MMAP_2 = Clause.of("MMAP-2",
            "a MAP_PRIVATE (copy-on-write) mapping of a guest_memfd is refused")
            .binds(Edition::hostMapsGuestMemfd)
            .reachedBy(ModelEvent.MMAP_REJECTED)
            .peers(Peers.GMEM_TEST + "test_mmap_cow")
            .check("MAP_PRIVATE is refused", MmapClauses::mmap2_mapPrivateIsRefused);

    public static final Clause MMAP_3 = Clause.of("MMAP-3",
            "touching a mapping past the end of the file faults")
            .binds(Edition::hostMapsGuestMemfd)
            .reachedBy(ModelEvent.HOST_FAULT)
            .peers(Peers.GMEM_TEST + "test_fault_overflow")
            .check("touching past the end faults", MmapClauses::mmap3_touchingPastTheEndFaults);

    public static final Clause MMAP_4 = Clause.of("MMAP-4",
            "without INIT_SHARED every host touch of a mappable guest_memfd faults")
            .binds(e -> e.hostMapsGuestMemfd() && e.initialState(e.mmapFlag()) == PageState.PRIVATE)
            .reachedBy(ModelEvent.HOST_FAULT)
            .peers(Peers.GMEM_TEST + "test_fault_private")
            .check("without INIT_SHARED every touch faults", MmapClauses::mmap4_withoutInitSharedEveryTouchFaults);

    /** The create flags MMAP-1 distinguishes, where the edition has a mmap flag. */
    enum MmapFlag { WITHOUT, WITH }

    /** MMAP-1: mmap needs the MMAP flag. */
    static void mmap1_mmapNeedsTheMmapFlag(Checker k) {
        Choices c = k.choices();
        Edition e = k.edition();
        boolean withFlag = e.mmapFlag() != 0 && k.draw(MmapFlag.class) == MmapFlag.WITH;
        long flags = withFlag ? Gen.sharedFlags(e) : Gen.sharedFlags(e) & ~e.mmapFlag() & ~e.flagsNeedingMmap();
        int g = create(k, Gen.pages(c), flags);
        Observation o = k.apply(new Operation.Mmap(g, MapKind.SHARED));
        if (withFlag) {
            k.require(o instanceof Observation.Ok, "mmap with the MMAP flag succeeds");
        } else {
            k.require(o instanceof Observation.Failed, "mmap without the MMAP flag fails");
        }
    }

    /** MMAP-2: MAP_PRIVATE is refused. */
    static void mmap2_mapPrivateIsRefused(Checker k) {
        int g = createShared(k, Gen.pages(k.choices()));
        k.require(k.apply(new Operation.Mmap(g, MapKind.PRIVATE_COW)) instanceof Observation.Failed, "MAP_PRIVATE is refused");
    }

    /** MMAP-3: touching past the end faults. */
    static void mmap3_touchingPastTheEndFaults(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        long at = pages * PAGE_SIZE + c.draw(4) * PAGE_SIZE + c.draw(PAGE_SIZE);
        Observation o = k.draw(Gen.Access.class) == Gen.Access.READ ? k.apply(new Operation.HostRead(g, at, 1 + c.draw(64), 0))
                : k.apply(new Operation.HostWrite(g, at, 1 + c.draw(64), Gen.fill(c), 0));
        k.require(o instanceof Observation.HostFault, "a touch past the end faults");
    }

    /** MMAP-4: without INIT_SHARED every touch faults. */
    static void mmap4_withoutInitSharedEveryTouchFaults(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = create(k, pages, Gen.privateFlags(k.edition()));
        long at = c.draw(pages * PAGE_SIZE);
        Observation o = switch (k.draw(Gen.Touch.class)) {
            case READ -> k.apply(new Operation.HostRead(g, at, 1 + c.draw(64), c.drawInt(2)));
            case WRITE -> k.apply(new Operation.HostWrite(g, at, 1 + c.draw(64), Gen.fill(c), c.drawInt(2)));
            case PIN -> k.apply(new Operation.Pin(g, at, 1 + c.draw(64)));
        };
        k.require(o instanceof Observation.HostFault, "every touch of a file without INIT_SHARED faults");
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(MMAP_1, MMAP_2, MMAP_3, MMAP_4);
}
