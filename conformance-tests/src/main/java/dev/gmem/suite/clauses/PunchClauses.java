package dev.gmem.suite.clauses;

import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;
import dev.gmem.suite.Range;

import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.api.PageState.PRIVATE;
import static dev.gmem.suite.Moves.bindWhole;
import static dev.gmem.suite.Moves.convertOk;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.gpa;
import static dev.gmem.suite.Moves.isFailed;
import static dev.gmem.suite.Moves.observedShared;
import static dev.gmem.suite.Moves.read;
import static dev.gmem.suite.Moves.readsAll;
import static dev.gmem.suite.Moves.write;

/** The PUNCH clauses of CONTRACT.md, each with its check. */
public final class PunchClauses {
    private PunchClauses() {
    }

    public static final Clause PUNCH_1 = Clause.of("PUNCH-1",
            "punching a hole never changes a page's state")
            .reachedBy(ModelEvent.PUNCHED)
            .peers(Peers.CONV_TEST + "truncate", Peers.GMEM_TEST + "test_truncate_should_not_change_mappability")
            .check("punching never changes state", PunchClauses::punch1_punchingNeverChangesState);

    public static final Clause PUNCH_2 = Clause.of("PUNCH-2",
            "a punched page reads zero afterwards wherever it is served from guest_memfd")
            .reachedBy(ModelEvent.PUNCHED)
            .check("a punched page reads zero", PunchClauses::punch2_punchedPageReadsZero);

    public static final Clause PUNCH_3 = Clause.of("PUNCH-3",
            "a misaligned punch → EINVAL")
            .reachedBy(ModelEvent.FALLOCATE_REJECTED)
            .peers(Peers.GMEM_TEST + "test_invalid_punch_hole")
            .check("a misaligned punch is EINVAL", PunchClauses::punch3_misalignedPunchIsEinval);

    public static final Clause PUNCH_4 = Clause.of("PUNCH-4",
            "a punch past the end of the file succeeds as a no-op")
            .reachedBy(ModelEvent.PUNCHED)
            .peers(Peers.GMEM_TEST + "test_invalid_punch_hole")
            .check("a punch past the end is a no-op", PunchClauses::punch4_punchPastTheEndIsANoOp);

    /** PUNCH-1: punching never changes state. */
    static void punch1_punchingNeverChangesState(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
        Range priv = Gen.validRange(c, pages);
        if (k.edition().converts()) convertOk(k, g, priv, PRIVATE);
        Range hole = Gen.validRange(c, pages);
        k.require(k.apply(new Operation.PunchHole(g, hole.offset(), hole.size())) instanceof Observation.Ok, "a valid punch succeeds");
        long page = hole.firstPage() + c.draw(hole.pageCount());
        boolean wasPrivate = k.edition().converts() && priv.containsPage(page);
        k.require(observedShared(k, g, page) != wasPrivate, "a punched page keeps its state", "page " + page);
    }

    /** PUNCH-2: a punched page reads zero. */
    static void punch2_punchedPageReadsZero(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        byte fill = Gen.fill(c);
        Range hole = Gen.validRange(c, pages);
        long page = hole.firstPage() + c.draw(hole.pageCount());
        if (k.edition().hostViewIsSeparate()) {
            // vm-attributes: the guest's private view is guest_memfd; the shared buffer is not touched
            bindWhole(k, g);
            write(k, g, Range.pages(0, pages), fill);
            convertOk(k, g, hole, PRIVATE);
            k.apply(new Operation.GuestWrite(gpa(g, page), 0x1234_5678L));
            k.require(k.apply(new Operation.PunchHole(g, hole.offset(), hole.size())) instanceof Observation.Ok, "a valid punch succeeds");
            k.require(new Observation.GuestValue(0).equals(k.apply(new Operation.GuestRead(gpa(g, page)))),
                    "a punched page reads zero in the guest's private view");
            k.require(readsAll(read(k, g, page), PAGE_SIZE, fill), "the punch leaves the shared buffer alone");
            return;
        }
        write(k, g, Range.pages(0, pages), fill);
        k.require(k.apply(new Operation.PunchHole(g, hole.offset(), hole.size())) instanceof Observation.Ok, "a valid punch succeeds");
        k.require(readsAll(read(k, g, page), PAGE_SIZE, (byte) 0), "a punched page reads zero");
        long other = c.draw(pages);
        if (!hole.containsPage(other)) {
            k.require(readsAll(read(k, g, other), PAGE_SIZE, fill), "a page outside the hole keeps its content");
        }
    }

    /** The punches PUNCH-3 calls misaligned. */
    enum BadPunch { MISALIGNED_OFFSET, MISALIGNED_SIZE, SIZE_ZERO }

    /** PUNCH-3: a misaligned punch is EINVAL. */
    static void punch3_misalignedPunchIsEinval(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range r = switch (k.draw(BadPunch.class)) {
            case MISALIGNED_OFFSET -> Gen.Misaligned.OFFSET.range(c, pages);
            case MISALIGNED_SIZE -> Gen.Misaligned.SIZE.range(c, pages);
            case SIZE_ZERO -> new Range(c.draw(pages) * PAGE_SIZE, 0);
        };
        k.require(isFailed(k.apply(new Operation.PunchHole(g, r.offset(), r.size())), Errno.EINVAL), "a misaligned punch → EINVAL");
    }

    /** PUNCH-4: a punch past the end is a no-op. */
    static void punch4_punchPastTheEndIsANoOp(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        byte fill = Gen.fill(c);
        write(k, g, Range.pages(0, pages), fill);
        Range r = Range.pages(pages + c.draw(4), 1 + c.draw(4));
        k.require(k.apply(new Operation.PunchHole(g, r.offset(), r.size())) instanceof Observation.Ok, "a punch past the end succeeds");
        k.require(readsAll(k.apply(new Operation.HostRead(g, 0, pages * PAGE_SIZE, 0)), pages * PAGE_SIZE, fill),
                "a punch past the end changes nothing in the file");
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(PUNCH_1, PUNCH_2, PUNCH_3, PUNCH_4);
}
