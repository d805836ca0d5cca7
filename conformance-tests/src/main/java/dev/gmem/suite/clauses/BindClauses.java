package dev.gmem.suite.clauses;

import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
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
import static dev.gmem.suite.Moves.bindWhole;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.gpa;
import static dev.gmem.suite.Moves.isFailed;

/** The BIND clauses of CONTRACT.md, each with its check. */
public final class BindClauses {
    private BindClauses() {
    }

    public static final Clause BIND_1 = Clause.of("BIND-1",
            "a guest_memfd range can be bound once: misalignment, a range past the end or a guest_memfd of another VM → EINVAL, "
                    + "an overlap → the kernel generation's errno (EINVAL up to 7.1, EEXIST from 7.2)")
            .reachedBy(ModelEvent.BOUND, ModelEvent.BIND_REJECTED)
            .check("a range binds once; overlap → the generation's errno; misalignment, past the end, another VM's file → EINVAL", BindClauses::bind1_rangeBindsOnceEverySecondBindingIsEinval);

    public static final Clause BIND_2 = Clause.of("BIND-2",
            "a bound guest_memfd slot can only be deleted")
            .reachedBy(ModelEvent.BIND_REJECTED, ModelEvent.UNBOUND)
            .check("a bound slot can only be deleted", BindClauses::bind2_boundSlotCanOnlyBeDeleted);

    /** The second bindings BIND-1 names: overlapping the first in guest_memfd offset, in GPA, or both; and the malformed ones. */
    enum SecondBind { OFFSET_OVERLAP, GPA_OVERLAP, BOTH_OVERLAP, MISALIGNED, PAST_THE_END, OTHER_VM }

    /**
     * BIND-1: a range binds once; an overlap in offset → the generation's errno, in GPA → EEXIST
     * (KVM's memslot check, before guest_memfd's); misalignment, past the end, another VM's file → EINVAL.
     */
    static void bind1_rangeBindsOnceEverySecondBindingIsEinval(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        Range r = Gen.validRange(c, pages);
        long firstGpa = GuestLayout.gpa(g, 0) + c.draw(4) * PAGE_SIZE;
        k.require(k.apply(new Operation.Bind(1, g, r.offset(), r.size(), firstGpa)) instanceof Observation.Ok,
                "a first binding succeeds");
        // a second slot at GPAs no slot uses, so that only the guest_memfd side can be wrong
        long freeGpa = GuestLayout.gpa(g, 0) + GuestLayout.WINDOW / 2;
        SecondBind kind = k.draw(SecondBind.class);
        Operation second = switch (kind) {
            case OFFSET_OVERLAP -> {
                Range overlap = Gen.validSubRange(c, r);
                yield new Operation.Bind(2, g, overlap.offset(), overlap.size(), freeGpa);
            }
            case GPA_OVERLAP -> {
                // another file (or the same file's other pages) at GPAs inside the first slot
                int other = Moves.createShared(k, pages);
                long into = c.draw(r.pageCount()) * PAGE_SIZE;
                yield new Operation.Bind(2, other, 0, PAGE_SIZE * (1 + c.draw(pages)), firstGpa + into);
            }
            case BOTH_OVERLAP -> {
                Range overlap = Gen.validSubRange(c, r);
                yield new Operation.Bind(2, g, overlap.offset(), overlap.size(), firstGpa + (overlap.offset() - r.offset()));
            }
            case MISALIGNED -> new Operation.Bind(2, g, r.offset() + 1 + c.draw(PAGE_SIZE - 1), PAGE_SIZE, freeGpa);
            case PAST_THE_END -> {
                long first = c.draw(pages + 1);
                yield new Operation.Bind(2, g, first * PAGE_SIZE, (pages - first + 1 + c.draw(3)) * PAGE_SIZE, freeGpa);
            }
            case OTHER_VM -> {
                Observation other = k.apply(new Operation.Create(1, pages * PAGE_SIZE, Gen.sharedFlags(k.edition())));
                k.require(other instanceof Observation.Created, "a guest_memfd in another VM can be created");
                yield new Operation.Bind(2, ((Observation.Created) other).gmem(), 0, PAGE_SIZE, freeGpa);
            }
        };
        Observation seen = k.apply(second);
        // UPSTREAM.md §3: the overlap errno changed in 7.2 (merge 06ba195f136a); the target says which generation it is
        boolean refused = switch (kind) {
            case OFFSET_OVERLAP -> k.kernelFacts().bindOverlap().stream().anyMatch(e -> isFailed(seen, e));
            case GPA_OVERLAP, BOTH_OVERLAP -> isFailed(seen, Errno.EEXIST);
            default -> isFailed(seen, Errno.EINVAL);
        };
        k.require(refused, "a second binding of the same range → the generation's overlap errno, of the same GPAs → EEXIST; "
                + "a misaligned one, one past the end or another VM's guest_memfd → EINVAL");
    }

    /** BIND-2: a bound slot can only be deleted. */
    static void bind2_boundSlotCanOnlyBeDeleted(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        bindWhole(k, g);
        Range r = Gen.validRange(c, pages);
        Observation again = k.apply(new Operation.Bind(g, g, r.offset(), r.size(), gpa(g, r.firstPage())));
        k.require(isFailed(again, Errno.EINVAL), "changing a bound slot → EINVAL");
        k.require(k.apply(new Operation.Unbind(g)) instanceof Observation.Ok, "deleting a bound slot succeeds");
        k.require(k.apply(Operation.Bind.canonical(g, g, r.offset(), r.size())) instanceof Observation.Ok,
                "after deletion the range can be bound again");
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(BIND_1, BIND_2);
}
