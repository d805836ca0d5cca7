package dev.gmem.suite.clauses;

import dev.gmem.api.Edition;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.KernelFacts.PolicyScope;
import dev.gmem.api.Mempolicy;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.property.Skip;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;
import dev.gmem.suite.Range;

import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.numaNodes;
import static dev.gmem.suite.Moves.write;

/**
 * The NUMA clauses: guest_memfd honours a NUMA memory policy (UPSTREAM.md §3: kvm-x86-gmem-6.19; interleave per
 * page from 7.2), each with its check. Skipped where the kernel keeps no policy in the file (before 6.19) or the
 * machine has one node.
 */
public final class NumaClauses {
    private NumaClauses() {
    }

    public static final Clause NUMA_1 = Clause.of("NUMA-1",
            "mbind on a guest_memfd mapping sets the file's policy: get_mempolicy reads it back through every mapping")
            .binds(e -> e.hostMapsGuestMemfd() && !e.hostViewIsSeparate())
            .reachedBy(ModelEvent.MEMPOLICY_SET, ModelEvent.MEMPOLICY_READ)
            .check("mbind's policy reads back through every mapping", NumaClauses::numa1_mbindReadsBackThroughEveryMapping);

    public static final Clause NUMA_2 = Clause.of("NUMA-2",
            "under MPOL_INTERLEAVE over two nodes, consecutive pages of a guest_memfd alternate between the nodes")
            .binds(e -> e.hostMapsGuestMemfd() && !e.hostViewIsSeparate())
            .reachedBy(ModelEvent.MEMPOLICY_SET, ModelEvent.NUMA_READ)
            .check("interleaved pages alternate nodes", NumaClauses::numa2_interleavedPagesAlternateNodes);

    /** The policies NUMA-1 sets. */
    enum Mode { PREFERRED, BIND, INTERLEAVE }

    /** NUMA-1: mbind's policy reads back through every mapping. */
    static void numa1_mbindReadsBackThroughEveryMapping(Checker k) {
        Choices c = k.choices();
        long nodes = numaNodes(k);
        requireFilePolicy(k.kernelFacts());
        Mempolicy policy = switch (k.draw(Mode.class)) {
            case PREFERRED -> new Mempolicy(Mempolicy.Mode.PREFERRED, Long.lowestOneBit(nodes));
            case BIND -> new Mempolicy(Mempolicy.Mode.BIND, nodes);
            case INTERLEAVE -> new Mempolicy(Mempolicy.Mode.INTERLEAVE, nodes);
        };
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        int setThrough = c.drawInt(2);
        k.require(k.apply(new Operation.Mbind(g, setThrough, policy)) instanceof Observation.Ok,
                "mbind on a guest_memfd mapping succeeds");
        long at = c.draw(pages) * PAGE_SIZE;
        for (int view = 0; view < 2; view++) {
            k.require(new Observation.Policy(policy).equals(k.apply(new Operation.GetMempolicy(g, view, at))),
                    "get_mempolicy reads the policy back through every mapping", "view " + view);
        }
    }

    /** NUMA-2: interleaved pages alternate nodes. */
    static void numa2_interleavedPagesAlternateNodes(Checker k) {
        Choices c = k.choices();
        long nodes = numaNodes(k);
        requireFilePolicy(k.kernelFacts());
        if (Long.bitCount(nodes) < 2) {
            throw new Skip("one NUMA node with memory (mask 0x" + Long.toHexString(nodes) + "): nothing to interleave over;"
                    + " run inside ci/vm-run --numa");
        }
        long a = Long.lowestOneBit(nodes);
        long two = a | Long.lowestOneBit(nodes & ~a);
        long pages = 2 + c.draw(Gen.MAX_PAGES - 1);
        int g = createShared(k, pages);
        k.require(k.apply(new Operation.Mbind(g, 0, new Mempolicy(Mempolicy.Mode.INTERLEAVE, two))) instanceof Observation.Ok,
                "mbind MPOL_INTERLEAVE succeeds");
        // the host's write allocates each page, by the file's policy
        k.require(write(k, g, new Range(0, pages * PAGE_SIZE), Gen.fill(c)) instanceof Observation.Ok,
                "the host writes its shared pages");
        Observation o = k.apply(new Operation.PageNodes(g, 0, pages * PAGE_SIZE));
        k.require(o instanceof Observation.PageNodes, "move_pages reports each page's node");
        List<Integer> on = ((Observation.PageNodes) o).nodes();
        for (int i = 0; i < on.size(); i++) {
            int n = on.get(i);
            k.require(n >= 0 && (two & (1L << n)) != 0, "every page is on one of the interleaved nodes", "page " + i + " on " + n);
            if (i > 0) k.require(n != on.get(i - 1), "consecutive pages alternate nodes", "pages " + (i - 1) + ", " + i + ": " + on);
        }
    }

    /** Skips where the kernel keeps no policy in the file (before 6.19), naming what decided it. */
    private static void requireFilePolicy(KernelFacts facts) {
        if (facts.mempolicy() != PolicyScope.FILE) {
            throw new Skip("the kernel keeps no NUMA policy in a guest_memfd (mempolicy per "
                    + facts.mempolicy().name().toLowerCase() + "; " + facts.decidedBy() + "): kvm_gmem_set_policy is 6.19");
        }
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(NUMA_1, NUMA_2);
}
