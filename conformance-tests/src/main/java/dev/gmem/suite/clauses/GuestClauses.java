package dev.gmem.suite.clauses;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.ReferenceRule;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;
import dev.gmem.suite.Moves;
import dev.gmem.suite.Range;

import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.api.PageState.PRIVATE;
import static dev.gmem.api.PageState.SHARED;
import static dev.gmem.suite.Moves.bindWhole;
import static dev.gmem.suite.Moves.convertOk;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.gpa;
import static dev.gmem.suite.Moves.write;

/** The GUEST clauses of CONTRACT.md, each with its check. */
public final class GuestClauses {
    private GuestClauses() {
    }

    public static final Clause GUEST_1 = Clause.of("GUEST-1",
            "a SHARED page is coherent between host and guest: a write by one is read by the other")
            .reachedBy(ModelEvent.GUEST_ACCESS_OK)
            .check("a shared page is coherent between host and guest", GuestClauses::guest1_sharedPageIsCoherentBetweenHostAndGuest);

    public static final Clause GUEST_2 = Clause.of("GUEST-2",
            "a PRIVATE page is invisible to the host both ways")
            .binds(Edition::converts)
            .reachedBy(ModelEvent.GUEST_ACCESS_OK)
            .check("a private page is invisible to the host both ways", GuestClauses::guest2_privatePageIsInvisibleToTheHostBothWays);

    public static final Clause GUEST_3 = Clause.of("GUEST-3",
            "a guest access the state forbids ends in KVM_EXIT_MEMORY_FAULT with gpa = the page's GPA, size = page size, PRIVATE flag = the access kind")
            .binds(e -> e.perGpa() || e.referenceRule() == ReferenceRule.PENDING)
            .reachedBy(ModelEvent.MEMORY_FAULT_EXIT)
            .peers(Peers.EXITS_TEST + "test_private_access_memslot_deleted", Peers.EXITS_TEST + "test_private_access_memslot_not_private")
            .check("a forbidden guest access is a memory-fault exit with the page's gpa and size", GuestClauses::guest3_forbiddenAccessIsAMemoryFaultExitAtThePage, ModelEvent.MEMORY_FAULT_EXIT);

    /** Who writes in GUEST-1 (the other one reads). */
    enum Writer { HOST, GUEST }

    /** GUEST-1: a shared page is coherent between host and guest. */
    static void guest1_sharedPageIsCoherentBetweenHostAndGuest(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        bindWhole(k, g);
        long page = c.draw(pages);
        long in = 8 * c.draw(PAGE_SIZE / 8);
        if (k.draw(Writer.class) == Writer.HOST) {
            byte fill = Gen.fill(c);
            write(k, g, Range.pages(page, 1), fill);
            Observation o = k.apply(new Operation.GuestRead(gpa(g, page) + in));
            k.require(o.equals(new Observation.GuestValue(Bytes.fill(8, fill).toLong())), "the guest reads what the host wrote");
        } else {
            long value = 1 + c.draw(1L << 40);
            k.require(k.apply(new Operation.GuestWrite(gpa(g, page) + in, value)) instanceof Observation.Ok, "the guest writes a shared page");
            Observation o = k.apply(new Operation.HostRead(g, page * PAGE_SIZE + in, 8, 0));
            k.require(o.equals(new Observation.Read(Bytes.ofLong(value))), "the host reads what the guest wrote");
        }
    }

    /** GUEST-2: a private page is invisible to the host both ways. */
    static void guest2_privatePageIsInvisibleToTheHostBothWays(Checker k) {
        Choices c = k.choices();
        Moves.PrivateWrite written = Moves.guestWritesPrivatePage(k);
        int g = written.gmem();
        long page = written.page();
        long value = written.value();
        if (k.draw(Gen.Access.class) == Gen.Access.READ) {
            Observation o = k.apply(new Operation.HostRead(g, page * PAGE_SIZE, 8, 0));
            k.require(o instanceof Observation.HostFault || (o instanceof Observation.Read rd && !rd.bytes().equals(Bytes.ofLong(value))),
                    "the host cannot read what the guest wrote to a private page");
        } else {
            Observation w = k.apply(new Operation.HostWrite(g, page * PAGE_SIZE, 8, Gen.fill(c), 0));
            k.require(w instanceof Observation.HostFault || w instanceof Observation.Ok, "a host write faults or lands in its own buffer");
            Observation o = k.apply(new Operation.GuestRead(gpa(g, page)));
            k.require(o.equals(new Observation.GuestValue(value)), "a host write never reaches the guest's private page");
        }
    }

    /**
     * Why GUEST-3's access is forbidden: a vm-attributes private GPA with no memslot (never bound,
     * slot deleted); a pending page; a private page whose guest_memfd was closed (closing unbinds it).
     */
    enum Forbidden {
        NEVER_BOUND, SLOT_DELETED, PENDING_PAGE, FILE_CLOSED;

        boolean appliesTo(Edition e) {
            return switch (this) {
                case NEVER_BOUND, SLOT_DELETED -> e.perGpa();
                case PENDING_PAGE -> e.referenceRule() == ReferenceRule.PENDING;
                case FILE_CLOSED -> true;
            };
        }
    }

    /** GUEST-3: a forbidden guest access is a memory-fault exit with the page's gpa and size. */
    static void guest3_forbiddenAccessIsAMemoryFaultExitAtThePage(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Forbidden why = k.draw(Forbidden.class, f -> f.appliesTo(k.edition()));
        if (why != Forbidden.NEVER_BOUND) bindWhole(k, g);
        long page;
        if (why == Forbidden.PENDING_PAGE) {
            page = c.draw(pages);
            k.apply(new Operation.Pin(g, page * PAGE_SIZE, PAGE_SIZE));
            convertOk(k, g, Range.pages(page, 1), PRIVATE);
        } else {
            Range r = Gen.validRange(c, pages);
            convertOk(k, g, r, PRIVATE);
            page = r.firstPage() + c.draw(r.pageCount());
        }
        if (why == Forbidden.SLOT_DELETED) {
            k.require(k.apply(new Operation.Unbind(g)) instanceof Observation.Ok, "a bound slot can be deleted");
        }
        if (why == Forbidden.FILE_CLOSED) {
            k.require(k.apply(new Operation.Close(g)) instanceof Observation.Ok, "closing a bound guest_memfd succeeds");
        }
        long in = 8 * c.draw(PAGE_SIZE / 8);
        Operation access = k.draw(Gen.Access.class) == Gen.Access.READ ? new Operation.GuestRead(gpa(g, page) + in)
                : new Operation.GuestWrite(gpa(g, page) + in, 1 + c.draw(1000));
        Observation o = k.apply(access);
        k.require(o.equals(new Observation.MemoryFaultExit(gpa(g, page), PAGE_SIZE, true)),
                "KVM_EXIT_MEMORY_FAULT with gpa = the page's GPA, size = page size, PRIVATE flag set");
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(GUEST_1, GUEST_2, GUEST_3);
}
