package dev.gmem.suite.clauses;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;

import java.util.List;

import static dev.gmem.suite.Moves.bindWhole;
import static dev.gmem.suite.Moves.create;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.kernelHealthy;

/**
 * The REG clauses: regression probes from syzbot's guest_memfd reports (UPSTREAM.md §4), each with its check.
 * Each looks at the kernel's health from its first step to its last (taint, WARN/BUG/KASAN lines).
 */
public final class RegClauses {
    private RegClauses() {
    }

    public static final Clause REG_1 = Clause.of("REG-1",
            "closing a guest_memfd while its memslot is being deleted leaves the kernel healthy: no crash, no KASAN"
                    + " report, no taint (CVE-2025-40274, syzbot extid 2479e53d0db9b32ae2aa)")
            .reachedBy(ModelEvent.KERNEL_HEALTH)
            .check("closing a guest_memfd while its memslot is deleted leaves the kernel healthy",
                    RegClauses::reg1_closingWhileTheMemslotIsDeletedLeavesTheKernelHealthy);

    public static final Clause REG_2 = Clause.of("REG-2",
            "MADV_HUGEPAGE and mlock on a guest_memfd mapping keep it in 4 KiB pages, with no WARN and no taint"
                    + " (syzbot extid 33a04338019ac7e43a44)")
            .binds(Edition::hostMapsGuestMemfd)
            .reachedBy(ModelEvent.MAPPING_ADVISED, ModelEvent.MAPPING_INSPECTED)
            .check("a hugepage-advised, locked guest_memfd mapping stays 4 KiB without a WARN",
                    RegClauses::reg2_hugepageAdviceAndMlockKeepSmallPages);

    /** REG-1: closing a guest_memfd while its memslot is deleted leaves the kernel healthy. */
    static void reg1_closingWhileTheMemslotIsDeletedLeavesTheKernelHealthy(Checker k) {
        Choices c = k.choices();
        kernelHealthy(k);
        int rounds = 1 + c.drawInt(8);
        for (int i = 0; i < rounds; i++) {
            // no mmap flag: no mapping holds the file, so the fd is its last reference
            int g = create(k, Gen.pages(c), 0);
            bindWhole(k, g);
            k.require(k.apply(new Operation.CloseWhileUnbinding(g, g)) instanceof Observation.Ok,
                    "closing a bound guest_memfd while its memslot is deleted succeeds");
        }
        kernelHealthy(k);
    }

    /** File sizes REG-2 tries: a few pages, or whole 2 MiB huge pages (the file is then mapped 2 MiB-aligned). */
    enum HugeSize { SMALL, ONE_HUGE_PAGE, TWO_HUGE_PAGES }

    /** REG-2: a hugepage-advised, locked guest_memfd mapping stays 4 KiB without a WARN. */
    static void reg2_hugepageAdviceAndMlockKeepSmallPages(Checker k) {
        long pages = switch (k.draw(HugeSize.class)) {
            case SMALL -> Gen.pages(k.choices());
            case ONE_HUGE_PAGE -> 512;
            case TWO_HUGE_PAGES -> 1024;
        };
        kernelHealthy(k);
        int g = createShared(k, pages);
        k.require(k.apply(new Operation.Madvise(g, Operation.Madvise.Advice.HUGEPAGE)) instanceof Observation.Ok,
                "MADV_HUGEPAGE on a guest_memfd mapping succeeds");
        k.require(k.apply(new Operation.Mlock(g)) instanceof Observation.Ok, "mlock of shared pages succeeds");
        Observation mapped = k.apply(new Operation.InspectMapping(g));
        k.require(Observation.MappingPages.SMALL.equals(mapped), "the mapping stays in 4 KiB pages", String.valueOf(mapped));
        k.require(k.apply(new Operation.Munlock(g)) instanceof Observation.Ok, "munlock succeeds");
        kernelHealthy(k);
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(REG_1, REG_2);
}
