package dev.gmem.suite.clauses;

import dev.gmem.api.Errno;
import dev.gmem.api.Footprint;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.property.Skip;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;
import dev.gmem.suite.Range;

import java.util.ArrayList;
import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.suite.Moves.bindWhole;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.isFailed;
import static dev.gmem.suite.Moves.readsAll;
import static dev.gmem.suite.Moves.write;

/** The LIFE clauses of CONTRACT.md, each with its check. */
public final class LifeClauses {
    private LifeClauses() {
    }

    public static final Clause LIFE_1 = Clause.of("LIFE-1",
            "a guest_memfd outlives its VM fd")
            .reachedBy(ModelEvent.VM_CLOSED)
            .check("a guest_memfd outlives its VM fd", LifeClauses::life1_guestMemfdOutlivesItsVmFd);

    public static final Clause LIFE_2 = Clause.of("LIFE-2",
            "closing everything frees every page; create/close cycles leak nothing")
            .reachedBy(ModelEvent.CLOSED)
            .check("create/close cycles leave nothing behind", LifeClauses::life2_createCloseCyclesLeaveNothingBehind,
                    Cycle.PINNED, Cycle.PINNED_AND_BOUND);

    /** LIFE-1: a guest_memfd outlives its VM fd. */
    static void life1_guestMemfdOutlivesItsVmFd(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        k.require(k.apply(new Operation.CloseVm(0)) instanceof Observation.Ok, "closing the VM fd succeeds");
        k.require(k.apply(new Operation.Stat(g)).equals(new Observation.FileSize(pages * PAGE_SIZE)), "the file is still there");
        byte fill = Gen.fill(c);
        Range r = Gen.validRange(c, pages);
        k.require(write(k, g, r, fill) instanceof Observation.Ok, "the host still writes its shared pages");
        k.require(readsAll(k.apply(new Operation.HostRead(g, r.offset(), r.size(), 0)), r.size(), fill), "and reads them back");
        k.require(isFailed(k.apply(new Operation.Create(0, PAGE_SIZE, Gen.sharedFlags(k.edition()))), Errno.EBADF),
                "the closed VM makes no new guest_memfd");
    }

    /** What one LIFE-2 cycle does with its guest_memfd before closing it. */
    enum Cycle { PLAIN, WRITTEN, BOUND, PINNED, PINNED_AND_BOUND }

    /**
     * LIFE-2: create/close cycles leave nothing behind: the target's own footprint (fds, mappings,
     * pins, allocated pages) after closing everything is what it was before the first create.
     */
    static void life2_createCloseCyclesLeaveNothingBehind(Checker k) {
        Choices c = k.choices();
        Footprint before = k.footprint().orElseThrow(() -> new Skip(
                "the target reports no footprint (Session.footprint): a leak cannot be seen"));
        int cycles = 1 + c.drawInt(40);
        List<Integer> closed = new ArrayList<>();
        for (int i = 0; i < cycles; i++) {
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Cycle cycle = k.draw(Cycle.class);
            boolean bound = cycle == Cycle.BOUND || cycle == Cycle.PINNED_AND_BOUND;
            if (bound) bindWhole(k, g);
            if (cycle == Cycle.WRITTEN) write(k, g, Gen.validRange(c, pages), Gen.fill(c));
            int pin = -1;
            if (cycle == Cycle.PINNED || cycle == Cycle.PINNED_AND_BOUND) {
                Observation o = k.apply(new Operation.Pin(g, 0, PAGE_SIZE));
                k.require(o instanceof Observation.Pinned, "a shared page can be pinned");
                pin = ((Observation.Pinned) o).pin();
            }
            if (pin >= 0) k.require(k.apply(new Operation.Unpin(pin)) instanceof Observation.Ok, "unpin succeeds");
            if (bound) k.require(k.apply(new Operation.Unbind(g)) instanceof Observation.Ok, "unbind succeeds");
            k.require(k.apply(new Operation.Close(g)) instanceof Observation.Ok, "close succeeds");
            closed.add(g);
        }
        for (int g : closed) {
            k.require(isFailed(k.apply(new Operation.Stat(g)), Errno.EBADF), "a closed guest_memfd is gone");
        }
        Footprint after = k.footprint().orElseThrow(() -> new Skip("the target stopped reporting its footprint"));
        String growth = before.growthTo(after);
        k.require(growth.isEmpty(), "after closing everything the target holds nothing more than before", growth);
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(LIFE_1, LIFE_2);
}
