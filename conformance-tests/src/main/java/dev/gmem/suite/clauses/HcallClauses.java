package dev.gmem.suite.clauses;

import dev.gmem.api.Edition;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.ReferenceRule;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;
import dev.gmem.suite.Range;

import java.util.List;

import static dev.gmem.api.PageState.PRIVATE;
import static dev.gmem.api.PageState.SHARED;
import static dev.gmem.suite.Moves.bindWhole;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.gpa;
import static dev.gmem.suite.Moves.observedShared;

/** The HCALL clauses of CONTRACT.md, each with its check. */
public final class HcallClauses {
    private HcallClauses() {
    }

    public static final Clause HCALL_1 = Clause.of("HCALL-1",
            "a guest's KVM_HC_MAP_GPA_RANGE reaches the host as KVM_EXIT_HYPERCALL with gpa, page count and attributes")
            .binds(Edition::converts)
            .optionalIn(e -> e.referenceRule() == ReferenceRule.PENDING)
            .reachedBy(ModelEvent.HYPERCALL_EXIT)
            .peers(Peers.PMC_FILE)
            .check("the guest's request reaches the host with its fields", HcallClauses::hcall1_guestsRequestReachesTheHostWithItsFields, ModelEvent.HYPERCALL_EXIT);

    public static final Clause HCALL_2 = Clause.of("HCALL-2",
            "after the host converts and returns 0 the guest sees the new state")
            .binds(Edition::converts)
            .optionalIn(e -> e.referenceRule() == ReferenceRule.PENDING)
            .reachedBy(ModelEvent.HYPERCALL_EXIT)
            .peers(Peers.PMC_FILE)
            .check("after the host converts the guest sees the new state", HcallClauses::hcall2_afterTheHostConvertsTheGuestSeesTheNewState);

    /** Where HCALL-1's requested range lies: inside the memslot, across its end, or at GPAs no memslot holds. */
    enum RequestedRange { INSIDE_THE_SLOT, ACROSS_THE_SLOT_END, OUTSIDE_EVERY_SLOT }

    /** HCALL-1: the guest's request reaches the host with its fields (and what the host answers is the model's). */
    static void hcall1_guestsRequestReachesTheHostWithItsFields(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        bindWhole(k, g);
        Range r = switch (k.draw(RequestedRange.class)) {
            case INSIDE_THE_SLOT -> Gen.validRange(c, pages);
            case ACROSS_THE_SLOT_END -> {
                long first = c.draw(pages);
                yield Range.pages(first, pages - first + 1 + c.draw(2));
            }
            case OUTSIDE_EVERY_SLOT -> Range.pages(pages + c.draw(4), 1 + c.draw(4));
        };
        PageState target = Gen.conversionTarget(c);
        Observation o = k.apply(new Operation.GuestRequestConversion(gpa(g, r.firstPage()), r.size(), target));
        k.require(o instanceof Observation.HypercallExit, "KVM_HC_MAP_GPA_RANGE exits to the host");
        Observation.HypercallExit h = (Observation.HypercallExit) o;
        k.require(h.gpa() == gpa(g, r.firstPage()) && h.pages() == r.pageCount()
                        && h.attributes() == (target == PRIVATE ? MemoryAttributes.PRIVATE : 0),
                "KVM_EXIT_HYPERCALL carries the gpa, the page count and the attributes");
        // whatever the host answered, the state it left behind is checked against the model too
        observedShared(k, g, c.draw(pages));
    }

    /** The guest requests HCALL-2 makes. */
    enum Request { PRIVATE, PRIVATE_THEN_SHARED }


    /** HCALL-2: after the host converts the guest sees the new state. */
    static void hcall2_afterTheHostConvertsTheGuestSeesTheNewState(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        bindWhole(k, g);
        Range r = Gen.validRange(c, pages);
        Observation o = k.apply(new Operation.GuestRequestConversion(gpa(g, r.firstPage()), r.size(), PRIVATE));
        k.require(o instanceof Observation.HypercallExit h && h.hostResult() == 0, "the host converts and returns 0");
        long page = r.firstPage() + c.draw(r.pageCount());
        k.require(!observedShared(k, g, page), "the page the guest asked for is private");
        if (k.draw(Request.class) == Request.PRIVATE_THEN_SHARED) {
            Observation back = k.apply(new Operation.GuestRequestConversion(gpa(g, r.firstPage()), r.size(), SHARED));
            k.require(back instanceof Observation.HypercallExit h && h.hostResult() == 0, "the host converts back and returns 0");
            k.require(observedShared(k, g, page), "the page the guest asked for is shared again");
        }
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(HCALL_1, HCALL_2);
}
