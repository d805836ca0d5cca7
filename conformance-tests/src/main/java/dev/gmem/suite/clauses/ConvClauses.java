package dev.gmem.suite.clauses;

import dev.gmem.api.ContentRule;
import dev.gmem.api.ConvertCheck;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
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
import static dev.gmem.suite.Moves.isFailed;
import static dev.gmem.suite.Moves.observedShared;
import static dev.gmem.suite.Moves.readsAll;
import static dev.gmem.suite.Moves.write;

/** The CONV clauses of CONTRACT.md, each with its check. */
public final class ConvClauses {
    private ConvClauses() {
    }

    public static final Clause CONV_1 = Clause.of("CONV-1",
            "after convert(r, PRIVATE) exactly the pages of r are private (they fault on the host), neighbours untouched")
            .binds(Edition::converts)
            .reachedBy(ModelEvent.CONVERTED)
            .peers(Peers.CONV_TEST + "indexing", Peers.CONV_TEST + "conversions_should_not_affect_surrounding_pages")
            .check("exactly the converted pages become private", ConvClauses::conv1_exactlyTheConvertedPagesBecomePrivate, ModelEvent.CONVERTED);

    public static final Clause CONV_2 = Clause.of("CONV-2",
            "converting back to SHARED restores host access, with content as the edition says")
            .binds(Edition::converts)
            .optionalIn(e -> e.contentRule() == ContentRule.UNSPECIFIED)
            .reachedBy(ModelEvent.CONVERTED)
            .peers(Peers.CONV_TEST + "init_private", Peers.CONV_TEST + "init_shared", Peers.CONV_TEST + "test_sharing")
            .check("converting back restores host access, content as the edition says", ConvClauses::conv2_convertingBackRestoresHostAccessContentAsTheEditionSays);

    public static final Clause CONV_3 = Clause.of("CONV-3",
            "misaligned, overflowing or out-of-range requests (and nonzero flags, reserved or unknown attribute words) → EINVAL, no page changes state")
            .binds(Edition::converts)
            .reachedBy(ModelEvent.CONVERT_REJECTED)
            .check("a bad request is EINVAL and changes nothing", ConvClauses::conv3_badRangeIsEinvalAndChangesNothing);

    public static final Clause CONV_4 = Clause.of("CONV-4",
            "converting a range to the state it already has succeeds")
            .binds(Edition::converts)
            .check("converting to the state a range has succeeds", ConvClauses::conv4_convertingToTheStateARangeHasSucceeds,
                    SameState.EVERY_PAGE_ALREADY_THERE);

    public static final Clause CONV_5 = Clause.of("CONV-5",
            "a conversion before any page is allocated is remembered")
            .binds(Edition::converts)
            .reachedBy(ModelEvent.CONVERTED)
            .peers(Peers.CONV_TEST + "before_allocation_shared", Peers.CONV_TEST + "before_allocation_private")
            .check("a conversion before allocation is remembered", ConvClauses::conv5_conversionBeforeAllocationIsRemembered);

    public static final Clause CONV_6 = Clause.of("CONV-6",
            "converting a range of which only some pages are allocated works")
            .binds(Edition::converts)
            .reachedBy(ModelEvent.CONVERTED)
            .peers(Peers.CONV_TEST + "unallocated_folios")
            .check("converting a partly allocated range works", ConvClauses::conv6_convertingAPartlyAllocatedRangeWorks);

    public static final Clause CONV_7 = Clause.of("CONV-7",
            "a conversion to private removes the host mappings of the range in every process")
            .binds(Edition::convertsInPlace)
            .peers(Peers.CONV_TEST + "forked_accesses")
            .check("to private removes the host mappings in every process", ConvClauses::conv7_toPrivateRemovesTheHostMappingsInEveryProcess);

    public static final Clause CONV_8 = Clause.of("CONV-8",
            "size 0 and a nonzero input error_offset behave as the edition says")
            .binds(Edition::converts)
            .reachedBy(ModelEvent.CONVERT_NOOP, ModelEvent.CONVERT_REJECTED)
            .check("size 0 and input error_offset as the edition says", ConvClauses::conv8_size0AndInputErrorOffsetAsTheEditionSays);

    /** CONV-1: exactly the converted pages become private. */
    static void conv1_exactlyTheConvertedPagesBecomePrivate(Checker k) {
        Choices c = k.choices();
        long pages = 1 + Gen.pages(c);
        int g = createShared(k, pages);
        if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
        Range r = Gen.validRange(c, pages);
        convertOk(k, g, r, PRIVATE);
        for (long page = 0; page < pages; page++) {
            boolean shared = observedShared(k, g, page);
            k.require(shared != r.containsPage(page), "exactly the pages of r are private, neighbours untouched",
                    "page " + page);
        }
    }

    /** How many times CONV-2 converts the range to private and back: once, or often enough for a counter to wrap. */
    enum RoundTrips {
        ONCE(1), FOUR_TIMES(4);

        final int times;

        RoundTrips(int times) {
            this.times = times;
        }
    }

    /** CONV-2: converting back restores host access, content as the edition says. */
    static void conv2_convertingBackRestoresHostAccessContentAsTheEditionSays(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range r = Gen.validRange(c, pages);
        byte fill = Gen.fill(c);
        write(k, g, r, fill);
        RoundTrips trips = k.draw(RoundTrips.class);
        for (int i = 0; i < trips.times; i++) {
            convertOk(k, g, r, PRIVATE);
            convertOk(k, g, r, SHARED);
        }
        Observation o = k.apply(new Operation.HostRead(g, r.offset(), r.size(), c.drawInt(2)));
        k.require(o instanceof Observation.Read, "a page converted back to shared is accessible to the host");
        if (k.edition().contentRule() != ContentRule.UNSPECIFIED) {
            k.require(readsAll(o, r.size(), fill), "the content is what the edition promises (kept)");
        }
    }

    /**
     * The bad requests CONV-3 names, each where the edition's call checks it (never size 0 nor an
     * input error_offset: CONV-8's): the range's alignment, overflow and place in the file, and
     * every word of the request that must be zero or known.
     */
    enum BadRequest {
        MISALIGNED_OFFSET(ConvertCheck.ALIGNMENT),
        MISALIGNED_SIZE(ConvertCheck.ALIGNMENT),
        OVERFLOW(ConvertCheck.OVERFLOW),
        AT_THE_END(ConvertCheck.INSIDE_FILE),
        ACROSS_THE_END(ConvertCheck.INSIDE_FILE),
        HUGE_SIZE(ConvertCheck.INSIDE_FILE),
        NONZERO_FLAGS(ConvertCheck.FLAGS),
        NONZERO_RESERVED(ConvertCheck.RESERVED),
        UNKNOWN_ATTRIBUTE(ConvertCheck.ATTRIBUTES);

        final ConvertCheck check;

        BadRequest(ConvertCheck check) {
            this.check = check;
        }

        /** The request on a file of {@code pages} pages; per-GPA editions convert {@code GuestLayout.gpa(g, offset)}. */
        Operation.Convert request(Choices c, int g, long pages, boolean perGpa, PageState target) {
            Range valid = Gen.validRange(c, pages);
            Operation.Convert.Raw none = Operation.Convert.Raw.NONE;
            return switch (this) {
                case MISALIGNED_OFFSET, MISALIGNED_SIZE -> {
                    Range r = (this == MISALIGNED_OFFSET ? Gen.Misaligned.OFFSET : Gen.Misaligned.SIZE).range(c, pages);
                    yield new Operation.Convert(g, r.offset(), r.size(), target, none);
                }
                // per GPA the range ends past 2^64 when its GPA starts on the last page of the address space
                case OVERFLOW -> new Operation.Convert(g, perGpa ? Gen.TOP_PAGE - GuestLayout.gpa(g, 0) : Gen.TOP_PAGE,
                        2 * PAGE_SIZE, target, none);
                case AT_THE_END -> new Operation.Convert(g, pages * PAGE_SIZE, PAGE_SIZE, target, none);
                case ACROSS_THE_END -> new Operation.Convert(g, pages * PAGE_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, target, none);
                case HUGE_SIZE -> new Operation.Convert(g, PAGE_SIZE, Gen.TOP_PAGE, target, none);
                case NONZERO_FLAGS -> new Operation.Convert(g, valid.offset(), valid.size(), target,
                        new Operation.Convert.Raw(0, 1L << c.drawInt(64), 0, 0));
                case NONZERO_RESERVED -> new Operation.Convert(g, valid.offset(), valid.size(), target,
                        new Operation.Convert.Raw(0, 0, 0, 1 + c.draw(Long.MAX_VALUE)));
                // an attribute bit other than KVM_MEMORY_ATTRIBUTE_PRIVATE (bit 3), which the target adds itself
                case UNKNOWN_ATTRIBUTE -> new Operation.Convert(g, valid.offset(), valid.size(), target,
                        new Operation.Convert.Raw(0, 0, 1L << (4 + c.drawInt(60)), 0));
            };
        }
    }

    /** CONV-3: a bad request is EINVAL and changes nothing. */
    static void conv3_badRangeIsEinvalAndChangesNothing(Checker k) {
        Choices c = k.choices();
        Edition e = k.edition();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        if (e.hostViewIsSeparate()) bindWhole(k, g);
        BadRequest bad = k.draw(BadRequest.class, b -> e.convertChecks().contains(b.check));
        Operation.Convert request = bad.request(c, g, pages, e.perGpa(), Gen.conversionTarget(c));
        Observation o = k.apply(request);
        k.require(isFailed(o, Errno.EINVAL), "misaligned, overflowing or out-of-range requests, or nonzero words → EINVAL",
                bad + ": offset 0x" + Long.toHexString(request.offset()) + " size 0x" + Long.toHexString(request.size()));
        long page = c.draw(pages);
        k.require(observedShared(k, g, page), "no page changes state");
    }

    /** The case CONV-4 exists for: a conversion to the state every page of the range already has. */
    enum SameState { EVERY_PAGE_ALREADY_THERE }

    /** CONV-4: converting to the state a range has succeeds. */
    static void conv4_convertingToTheStateARangeHasSucceeds(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range r = Gen.validRange(c, pages);
        PageState target = Gen.conversionTarget(c);
        if (target == PRIVATE) convertOk(k, g, r, PRIVATE);
        Range same = Gen.validSubRange(c, r);
        boolean allSame = true;
        for (long page = same.firstPage(); page < same.firstPage() + same.pageCount(); page++) {
            allSame &= k.state().pageState(g, page) == target;
        }
        if (allSame) k.reached(SameState.EVERY_PAGE_ALREADY_THERE);
        Observation o = convert(k, g, same, target);
        k.require(o instanceof Observation.Ok, "converting a range to the state it has succeeds");
    }

    /** CONV-5: a conversion before allocation is remembered. */
    static void conv5_conversionBeforeAllocationIsRemembered(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range r = Gen.validRange(c, pages);
        convertOk(k, g, r, PRIVATE);
        if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
        long page = r.firstPage() + c.draw(r.pageCount());
        k.require(!observedShared(k, g, page), "a page converted before it was allocated is private when first touched");
    }

    /** How CONV-6 allocates some of the pages. */
    enum Allocation { WRITTEN, FALLOCATED }

    /** CONV-6: converting a partly allocated range works. */
    static void conv6_convertingAPartlyAllocatedRangeWorks(Checker k) {
        Choices c = k.choices();
        long pages = 1 + Gen.pages(c);
        int g = createShared(k, pages);
        if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
        Range some = Gen.validRange(c, pages);
        if (k.draw(Allocation.class) == Allocation.WRITTEN) {
            write(k, g, some, Gen.fill(c));
        } else {
            k.require(k.apply(new Operation.Allocate(g, some.offset(), some.size(), true)) instanceof Observation.Ok,
                    "fallocate inside the file succeeds");
        }
        Range all = Range.pages(0, pages);
        convertOk(k, g, all, PRIVATE);
        long page = c.draw(pages);
        k.require(!observedShared(k, g, page), "every page of the range is private, allocated or not", "page " + page);
        convertOk(k, g, all, SHARED);
        k.require(observedShared(k, g, page), "every page of the range is shared again", "page " + page);
    }

    /** CONV-7: to private removes the host mappings in every process. */
    static void conv7_toPrivateRemovesTheHostMappingsInEveryProcess(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range r = Gen.validRange(c, pages);
        long page = r.firstPage() + c.draw(r.pageCount());
        k.require(k.apply(new Operation.HostRead(g, page * PAGE_SIZE, PAGE_SIZE, 1)) instanceof Observation.Read,
                "a second mapping reads a shared page");
        convertOk(k, g, r, PRIVATE);
        Observation o = k.apply(new Operation.HostRead(g, page * PAGE_SIZE, PAGE_SIZE, 1));
        k.require(o instanceof Observation.HostFault, "after convert to private the other mapping faults too");
    }

    /** The requests CONV-8 names. */
    enum OddRequest { SIZE_ZERO, INPUT_ERROR_OFFSET }

    /** CONV-8: size 0 and input error_offset as the edition says. */
    static void conv8_size0AndInputErrorOffsetAsTheEditionSays(Checker k) {
        Choices c = k.choices();
        Edition e = k.edition();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        if (e.hostViewIsSeparate()) bindWhole(k, g);
        long page = c.draw(pages);
        if (k.draw(OddRequest.class) == OddRequest.SIZE_ZERO) {
            Observation o = k.apply(new Operation.Convert(g, page * PAGE_SIZE, 0, PRIVATE, Operation.Convert.Raw.NONE));
            if (e.convertChecks().contains(ConvertCheck.SIZE_ZERO_IS_NOOP)) {
                k.require(o instanceof Observation.Ok, "size 0 succeeds as a no-op in this edition");
            } else {
                k.require(isFailed(o, Errno.EINVAL), "size 0 → EINVAL in this edition");
            }
        } else {
            long errorOffset = PAGE_SIZE * (1 + c.draw(pages));
            Observation o = k.apply(new Operation.Convert(g, page * PAGE_SIZE, PAGE_SIZE, PRIVATE,
                    new Operation.Convert.Raw(errorOffset, 0, 0, 0)));
            if (e.convertChecks().contains(ConvertCheck.INPUT_ERROR_OFFSET)) {
                k.require(isFailed(o, Errno.EINVAL), "a nonzero input error_offset → EINVAL in this edition");
                k.require(observedShared(k, g, page), "a refused request changes nothing");
            } else {
                k.require(o instanceof Observation.Ok, "the input error_offset is ignored in this edition");
                k.require(!observedShared(k, g, page), "the conversion happened");
            }
            return;
        }
        k.require(observedShared(k, g, page), "size 0 changes no page");
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(CONV_1, CONV_2, CONV_3, CONV_4, CONV_5, CONV_6, CONV_7, CONV_8);
}
