package dev.gmem.suite.clauses;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
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
import static dev.gmem.suite.Moves.convertOk;
import static dev.gmem.suite.Moves.create;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.read;
import static dev.gmem.suite.Moves.readsAll;
import static dev.gmem.suite.Moves.write;

/** The HOST clauses of CONTRACT.md, each with its check. */
public final class HostClauses {
    private HostClauses() {
    }

    public static final Clause HOST_1 = Clause.of("HOST-1",
            "a SHARED page is readable and writable by the host, and a fresh one reads zero")
            .reachedBy(ModelEvent.HOST_ACCESS_OK)
            .peers(Peers.GMEM_TEST + "test_mmap_supported")
            .check("a shared page is readable, writable and fresh pages read zero", HostClauses::host1_sharedPageIsReadableWritableAndFreshPagesReadZero);

    public static final Clause HOST_2 = Clause.of("HOST-2",
            "in the in-place editions a PRIVATE page faults on every host access")
            .binds(Edition::hostMapsGuestMemfd)
            .reachedBy(ModelEvent.HOST_FAULT)
            .peers(Peers.GMEM_TEST + "test_fault_private")
            .check("a private page faults on every host access", HostClauses::host2_privatePageFaultsOnEveryHostAccess);

    public static final Clause HOST_3 = Clause.of("HOST-3",
            "host faults never change a page's state")
            .binds(Edition::hostMapsGuestMemfd)
            .reachedBy(ModelEvent.HOST_FAULT)
            .check("host faults never change state", HostClauses::host3_hostFaultsNeverChangeState);

    public static final Clause HOST_4 = Clause.of("HOST-4",
            "in vm-attributes the host's view is the separate shared buffer behind userspace_addr: host accesses never fault, and what the guest writes to a PRIVATE page never appears there")
            .binds(Edition::hostViewIsSeparate)
            .peers(Peers.PMC_FILE)
            .check("vm-attributes: the host sees its separate buffer, never the private page", HostClauses::host4_hostSeesItsSeparateBufferNeverThePrivatePage);

    /** HOST-1: a shared page is readable, writable and fresh pages read zero. */
    static void host1_sharedPageIsReadableWritableAndFreshPagesReadZero(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        long page = c.draw(pages);
        k.require(readsAll(read(k, g, page), PAGE_SIZE, (byte) 0), "a fresh shared page reads zero");
        Range r = Gen.validRange(c, pages);
        byte fill = Gen.fill(c);
        k.require(write(k, g, r, fill) instanceof Observation.Ok, "the host writes a shared page");
        Observation back = k.apply(new Operation.HostRead(g, r.offset(), r.size(), c.drawInt(2)));
        k.require(readsAll(back, r.size(), fill), "the host reads back what it wrote");
    }

    /** How HOST-2's private page became private, where the edition converts. */
    enum PrivatePage { CREATED_PRIVATE, CONVERTED }

    /** HOST-2: a private page faults on every host access. */
    static void host2_privatePageFaultsOnEveryHostAccess(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g;
        Range priv;
        if (k.edition().converts() && k.draw(PrivatePage.class) == PrivatePage.CONVERTED) {
            g = createShared(k, pages);
            priv = Gen.validRange(c, pages);
            convertOk(k, g, priv, PRIVATE);
        } else {
            g = create(k, pages, Gen.privateFlags(k.edition()));
            priv = Range.pages(0, pages);
        }
        long at = priv.offset() + c.draw(priv.size());
        int view = c.drawInt(2);
        Observation o = switch (k.draw(Gen.Touch.class)) {
            case READ -> k.apply(new Operation.HostRead(g, at, 1 + c.draw(PAGE_SIZE), view));
            case WRITE -> k.apply(new Operation.HostWrite(g, at, 1 + c.draw(PAGE_SIZE), Gen.fill(c), view));
            case PIN -> k.apply(new Operation.Pin(g, at, 1 + c.draw(PAGE_SIZE)));
        };
        k.require(o instanceof Observation.HostFault, "a host access to a private page faults");
    }

    /** The faults HOST-3 distinguishes (a private page only where files can start private). */
    enum HostFault { PRIVATE_PAGE, WRITE_PAST_THE_END }

    /** HOST-3: host faults never change state. */
    static void host3_hostFaultsNeverChangeState(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        if (k.edition().initialState(Gen.privateFlags(k.edition())) == PRIVATE
                && k.draw(HostFault.class) == HostFault.PRIVATE_PAGE) {
            // a private page faults, and keeps faulting: the fault did not make it shared
            int g = create(k, pages, Gen.privateFlags(k.edition()));
            long page = c.draw(pages);
            for (int i = 0; i < 2 + c.draw(3); i++) {
                Observation o = i % 2 == 0 ? read(k, g, page)
                        : write(k, g, Range.pages(page, 1), Gen.fill(c));
                k.require(o instanceof Observation.HostFault, "a private page faults every time: faults do not change state");
            }
        } else {
            // a write running past the end faults and writes nothing, not even inside the file
            int g = createShared(k, pages);
            long from = (pages - 1 - c.draw(Math.min(pages, 2))) * PAGE_SIZE + c.draw(PAGE_SIZE);
            Observation o = k.apply(new Operation.HostWrite(g, from, pages * PAGE_SIZE - from + 1 + c.draw(PAGE_SIZE), Gen.fill(c), 0));
            k.require(o instanceof Observation.HostFault, "a write past the end faults");
            k.require(readsAll(k.apply(new Operation.HostRead(g, 0, pages * PAGE_SIZE, 0)), pages * PAGE_SIZE, (byte) 0),
                    "a faulting write changes nothing");
        }
    }

    /** HOST-4: vm-attributes: the host sees its separate buffer, never the private page. */
    static void host4_hostSeesItsSeparateBufferNeverThePrivatePage(Checker k) {
        Choices c = k.choices();
        Moves.PrivateWrite written = Moves.guestWritesPrivatePage(k);
        int g = written.gmem();
        long page = written.page();
        long value = written.value();
        Observation o = k.apply(new Operation.HostRead(g, page * PAGE_SIZE, PAGE_SIZE, c.drawInt(2)));
        k.require(o instanceof Observation.Read, "host accesses never fault in vm-attributes");
        k.require(((Observation.Read) o).bytes().equals(Bytes.zeros(PAGE_SIZE)),
                "what the guest writes to a private page never appears in the host's buffer");
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(HOST_1, HOST_2, HOST_3, HOST_4);
}
