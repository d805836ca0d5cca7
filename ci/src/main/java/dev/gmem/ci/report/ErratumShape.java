package dev.gmem.ci.report;

import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.outcome.Step;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The sequence shape that characterises a known kernel erratum, matched over a failure's recorded
 * shrunk sequence: its preconditions, not the wording of its diverging line. A divergence that reads
 * the same but lacks the preconditions is a new failure. {@code ci/known-kernel-errata} names one
 * shape per erratum by its {@link #id()}.
 */
enum ErratumShape {
    /**
     * KVM-612-STALE-MMIO-SHARED-FAULT: a guest access to page G answered MMIO while G had no memslot
     * (KVM caches an MMIO SPTE), G was later made private, a memslot changed after that MMIO access
     * (the SPTE goes stale), and a later guest access to G is the divergence: a shared memory fault.
     */
    STALE_MMIO_SHARED_FAULT("stale-mmio-shared-fault") {
        @Override
        boolean matches(List<Step> steps) {
            if (steps.isEmpty()) return false;
            Step last = steps.get(steps.size() - 1);
            Optional<Long> page = guestPage(last.operation());
            if (!last.diverged() || page.isEmpty()) return false;
            if (!(last.seen() instanceof Observation.MemoryFaultExit f) || f.privateAccess()) return false;
            long g = page.get();
            int mmio = -1;
            for (int i = 0; i < steps.size() - 1 && mmio < 0; i++) {
                Step s = steps.get(i);
                if (guestPage(s.operation()).equals(page) && s.seen() instanceof Observation.MmioExit) mmio = i;
            }
            if (mmio < 0) return false;
            boolean madePrivate = false;
            boolean memslotChanged = false;
            for (int i = mmio + 1; i < steps.size() - 1; i++) {
                Operation op = steps.get(i).operation();
                madePrivate |= makesPrivate(op, g) && !(steps.get(i).seen() instanceof Observation.Failed);
                memslotChanged |= op instanceof Operation.Bind || op instanceof Operation.Unbind;
            }
            return madePrivate && memslotChanged;
        }
    };

    private final String id;

    ErratumShape(String id) {
        this.id = id;
    }

    /** The name {@code ci/known-kernel-errata} uses for it. */
    String id() {
        return id;
    }

    /** Whether the recorded shrunk sequence (its last step the divergence) has this shape. */
    abstract boolean matches(List<Step> steps);

    static Optional<ErratumShape> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    private static Optional<Long> guestPage(Operation op) {
        if (op instanceof Operation.GuestRead r) return Optional.of(page(r.gpa()));
        if (op instanceof Operation.GuestWrite w) return Optional.of(page(w.gpa()));
        return Optional.empty();
    }

    /** A conversion to private whose GPA range (per-GPA editions: the canonical window) holds page {@code g}. */
    private static boolean makesPrivate(Operation op, long g) {
        if (op instanceof Operation.Convert c && c.target() == PageState.PRIVATE) {
            long start = GuestLayout.gpa(c.gmem(), c.offset());
            return g >= page(start) && g < start + c.size();
        }
        if (op instanceof Operation.GuestRequestConversion r && r.target() == PageState.PRIVATE) {
            return g >= page(r.gpa()) && g < r.gpa() + r.size();
        }
        return false;
    }

    private static long page(long gpa) {
        return gpa & -GuestLayout.PAGE_SIZE;
    }
}
