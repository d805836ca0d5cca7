package dev.gmem.race;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.model.ModelTarget;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/**
 * A racy broken target with guest accesses: the reference model of an edition (vm-attributes by
 * default), except that a conversion of several pages is applied a page at a time with a window
 * between, so that a guest access on another vCPU sees the conversion half applied (the first page
 * converted, the next not yet). Host writes, guest loads, stores and guest-requested conversions
 * only, so that the race cases aim at that window.
 */
final class HalfAppliedConversionTarget implements Target {
    /** Long enough for another thread's staggered step to land inside. */
    private static final long WINDOW_NANOS = 1_000_000;
    private static final EnumSet<OperationKind> SUPPORTED = EnumSet.of(OperationKind.CREATE, OperationKind.BIND,
            OperationKind.CONVERT, OperationKind.HOST_WRITE, OperationKind.GUEST_READ, OperationKind.GUEST_WRITE,
            OperationKind.GUEST_REQUEST_CONVERSION);

    private final ModelTarget model;
    private final Edition edition;

    HalfAppliedConversionTarget(Edition edition) {
        this.edition = edition;
        this.model = new ModelTarget(edition);
    }

    HalfAppliedConversionTarget() {
        this(Edition.VM_ATTRIBUTES);
    }

    @Override
    public String name() {
        return "toy:half-applied-conversion";
    }

    @Override
    public List<Edition> editions() {
        return List.of(edition);
    }

    @Override
    public Capabilities capabilities(Edition asked) {
        Capabilities c = Capabilities.all(List.of("the model of " + edition.name() + ", converting a page at a time"));
        for (OperationKind k : OperationKind.values()) {
            if (!SUPPORTED.contains(k)) c = c.without(k, "the half-applied conversion toy aims at guest accesses");
        }
        return c;
    }

    @Override
    public Session open(Edition asked) {
        Session inner = model.open(asked);
        return new Session() {
            @Override
            public Observation apply(Operation op) {
                if (!(op instanceof Operation.Convert c) || c.size() <= PAGE_SIZE || c.size() % PAGE_SIZE != 0) {
                    return inner.apply(op);
                }
                Observation first = null;
                for (long at = 0; at < c.size(); at += PAGE_SIZE) {
                    if (at > 0) LockSupport.parkNanos(WINDOW_NANOS);
                    Observation o = inner.apply(new Operation.Convert(c.gmem(), c.offset() + at, PAGE_SIZE, c.target(), c.raw()));
                    if (first == null) first = o;
                    if (!(o instanceof Observation.Ok)) return o;
                }
                return first;
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    @Override
    public boolean threadSafeSessions() {
        return true;
    }
}
