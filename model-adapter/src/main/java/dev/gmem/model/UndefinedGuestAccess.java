package dev.gmem.model;

import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;

import java.util.Set;

/**
 * A guest access the contract says nothing about (a VM without private memory touching a page the
 * host cannot map): a memory-fault exit on the page with either flag, an MMIO exit at the address,
 * any other exit, or an access served from the memslot's userspace_addr (any value read, a write
 * that lands there); nothing the model tracks changes.
 */
record UndefinedGuestAccess(long gpa, boolean write, ModelState state, Set<ModelEvent> events) implements Expectation {

    @Override
    public boolean allows(Observation observed) {
        if (observed instanceof Observation.MemoryFaultExit m) {
            return m.gpa() == pageGpa() && m.size() == GuestLayout.PAGE_SIZE;
        }
        if (observed instanceof Observation.MmioExit m) return m.gpa() == gpa && m.write() == write;
        if (observed instanceof Observation.GuestValue) return !write;
        if (observed instanceof Observation.Ok) return write;
        return observed instanceof Observation.OtherExit;
    }

    private long pageGpa() {
        return gpa & -GuestLayout.PAGE_SIZE;
    }

    @Override
    public ModelState next(Observation observed) {
        if (!allows(observed)) throw Disallowed.of(this, observed);
        return state;
    }

    @Override
    public Observation example() {
        return new Observation.MmioExit(gpa, write);
    }

    @Override
    public String describe() {
        return "any of MemoryFaultExit[gpa=0x" + Long.toHexString(pageGpa()) + ", size=0x1000, private=either], "
                + example() + ", OtherExit[any], " + (write ? "ok" : "GuestValue[any]");
    }
}
