package dev.gmem.suite.clauses;

import dev.gmem.api.ContentRule;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.ReferenceRule;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;
import dev.gmem.suite.Range;

import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.api.PageState.PRIVATE;
import static dev.gmem.api.PageState.SHARED;
import static dev.gmem.suite.Moves.bindWhole;
import static dev.gmem.suite.Moves.convert;
import static dev.gmem.suite.Moves.convertOk;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.gpa;
import static dev.gmem.suite.Moves.observedShared;
import static dev.gmem.suite.Moves.readsAll;
import static dev.gmem.suite.Moves.write;

/** The REF clauses of CONTRACT.md, each with its check. */
public final class RefClauses {
    private RefClauses() {
    }

    public static final Clause REF_1 = Clause.of("REF-1",
            "to private with a pinned page → EAGAIN, error offset = the first pinned page in the range, no page of the range changes state")
            .binds(e -> e.referenceRule() == ReferenceRule.REFUSE_EAGAIN)
            .reachedBy(ModelEvent.CONVERT_REFUSED_REFERENCED)
            .peers(Peers.CONV_TEST + "conversions_should_fail_if_memory_has_elevated_refcount")
            .check("to private with a pin is EAGAIN at the first pinned page, nothing changes", RefClauses::ref1_toPrivateWithAPinIsEagainAtTheFirstPinnedPage, ModelEvent.CONVERT_REFUSED_REFERENCED);

    public static final Clause REF_2 = Clause.of("REF-2",
            "after unpin the same conversion succeeds and the content is intact")
            .binds(e -> e.referenceRule() == ReferenceRule.REFUSE_EAGAIN)
            .reachedBy(ModelEvent.PINNED, ModelEvent.UNPINNED)
            .peers(Peers.CONV_TEST + "elevated_refcount")
            .check("after unpin the conversion succeeds, content intact", RefClauses::ref2_afterUnpinTheConversionSucceedsContentIntact);

    public static final Clause REF_3 = Clause.of("REF-3",
            "a conversion to SHARED never fails because of a pin")
            .binds(Edition::converts)
            .reachedBy(ModelEvent.PINNED)
            .peers(Peers.CONV_TEST + "elevated_refcount")
            .check("to shared never fails because of a pin", RefClauses::ref3_toSharedNeverFailsBecauseOfAPin);

    public static final Clause REF_4 = Clause.of("REF-4",
            "in the pending edition a pinned page waits in PENDING_PRIVATE and becomes PRIVATE when the last pin drops")
            .binds(e -> e.referenceRule() == ReferenceRule.PENDING)
            .reachedBy(ModelEvent.PENDING_ENTERED, ModelEvent.PENDING_RESOLVED)
            .check("pending: a pinned page waits in PENDING_PRIVATE until unpinned", RefClauses::ref4_pinnedPageWaitsInPendingPrivateUntilUnpinned, ModelEvent.PENDING_ENTERED, ModelEvent.PENDING_RESOLVED);

    /** Whether the pinned pages are still the ones in the file when REF-1 converts: a punch between replaces them. */
    enum PinnedPages { STILL_THERE, PUNCHED_SINCE }

    /** REF-1: to private with a pin is EAGAIN at the first pinned page, nothing changes. */
    static void ref1_toPrivateWithAPinIsEagainAtTheFirstPinnedPage(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range pinned = Gen.validRange(c, pages);
        k.require(k.apply(new Operation.Pin(g, pinned.offset(), pinned.size())) instanceof Observation.Pinned, "a shared page can be pinned");
        // a range that covers at least one pinned page
        long pinnedPage = pinned.firstPage() + c.draw(pinned.pageCount());
        long first = pinnedPage - c.draw(pinnedPage + 1);
        Range r = Range.pages(first, pinnedPage - first + 1 + c.draw(pages - pinnedPage));
        if (k.draw(PinnedPages.class) == PinnedPages.PUNCHED_SINCE) {
            // the pin holds the punched pages; the file's pages are new ones nobody holds
            k.require(k.apply(new Operation.PunchHole(g, pinned.offset(), pinned.size())) instanceof Observation.Ok,
                    "a valid punch succeeds");
            k.require(convert(k, g, r, PRIVATE) instanceof Observation.Ok,
                    "a page punched since it was pinned is no longer the pinned page: the conversion succeeds");
            return;
        }
        Observation o = convert(k, g, r, PRIVATE);
        long firstPinned = Math.max(r.offset(), pinned.offset());
        k.require(o.equals(new Observation.Refused(Errno.EAGAIN, firstPinned)),
                "EAGAIN with error offset = the first pinned page of the range");
        long page = r.firstPage() + c.draw(r.pageCount());
        k.require(observedShared(k, g, page), "no page of the range changes state", "page " + page);
    }

    /** REF-2: after unpin the conversion succeeds, content intact. */
    static void ref2_afterUnpinTheConversionSucceedsContentIntact(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range r = Gen.validRange(c, pages);
        byte fill = Gen.fill(c);
        write(k, g, r, fill);
        Range pinned = Gen.validSubRange(c, r);
        Observation pin = k.apply(new Operation.Pin(g, pinned.offset(), pinned.size()));
        k.require(pin instanceof Observation.Pinned, "a shared page can be pinned");
        k.require(convert(k, g, r, PRIVATE) instanceof Observation.Refused, "a pinned range is refused");
        k.require(readsAll(k.apply(new Operation.HostRead(g, r.offset(), r.size(), 0)), r.size(), fill),
                "the refused call left the content intact");
        k.require(k.apply(new Operation.Unpin(((Observation.Pinned) pin).pin())) instanceof Observation.Ok, "unpin succeeds");
        convertOk(k, g, r, PRIVATE);
        if (k.edition().contentRule() == ContentRule.PRESERVED) {
            convertOk(k, g, r, SHARED);
            k.require(readsAll(k.apply(new Operation.HostRead(g, r.offset(), r.size(), 0)), r.size(), fill),
                    "the content is intact after the conversion");
        }
    }

    /** What REF-3's range went through before it is converted to shared. */
    enum Before { NOTHING, ASKED_PRIVATE }

    /** REF-3: to shared never fails because of a pin. */
    static void ref3_toSharedNeverFailsBecauseOfAPin(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range pinned = Gen.validRange(c, pages);
        k.require(k.apply(new Operation.Pin(g, pinned.offset(), pinned.size())) instanceof Observation.Pinned, "a shared page can be pinned");
        Range r = Gen.validRange(c, pages);
        if (k.draw(Before.class) == Before.ASKED_PRIVATE) convert(k, g, r, PRIVATE);
        Observation o = convert(k, g, r, SHARED);
        k.require(o instanceof Observation.Ok, "converting to shared succeeds whatever is pinned");
    }

    /** How REF-4's pending page leaves PENDING_PRIVATE: its last pin drops, or the host converts it back to shared. */
    enum LeavesPending { LAST_PIN_DROPS, CONVERTED_TO_SHARED }

    /** REF-4: pending: a pinned page waits in PENDING_PRIVATE until unpinned. */
    static void ref4_pinnedPageWaitsInPendingPrivateUntilUnpinned(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        bindWhole(k, g);
        Range pinned = Gen.validRange(c, pages);
        Observation pin = k.apply(new Operation.Pin(g, pinned.offset(), pinned.size()));
        k.require(pin instanceof Observation.Pinned, "a shared page can be pinned");
        convertOk(k, g, Range.pages(0, pages), PRIVATE);
        long page = pinned.firstPage() + c.draw(pinned.pageCount());
        Observation waiting = k.apply(new Operation.GuestRead(gpa(g, page)));
        k.require(waiting.equals(new Observation.MemoryFaultExit(gpa(g, page), PAGE_SIZE, true)),
                "the guest touching a pending page gets a memory-fault exit");
        if (k.draw(LeavesPending.class) == LeavesPending.CONVERTED_TO_SHARED) {
            convertOk(k, g, Range.pages(0, pages), SHARED);
            k.require(k.apply(new Operation.HostRead(g, page * PAGE_SIZE, PAGE_SIZE, 0)) instanceof Observation.Read,
                    "a pending page converted to shared is the host's again");
            k.require(k.apply(new Operation.GuestRead(gpa(g, page))) instanceof Observation.GuestValue,
                    "and the guest reads it as shared");
            return;
        }
        k.require(k.apply(new Operation.Unpin(((Observation.Pinned) pin).pin())) instanceof Observation.Ok, "unpin succeeds");
        Observation after = k.apply(new Operation.GuestRead(gpa(g, page)));
        k.require(after instanceof Observation.GuestValue, "after the last pin drops the page is private: the guest reads it");
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(REF_1, REF_2, REF_3, REF_4);
}
