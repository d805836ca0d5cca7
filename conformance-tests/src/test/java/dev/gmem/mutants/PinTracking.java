package dev.gmem.mutants;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/** A broken session that keeps its own list of live pins, as a wrong reference check would. */
abstract class PinTracking extends Rewriting {
    private final Map<Integer, Operation.Pin> pins = new HashMap<>();

    PinTracking(Session inner) {
        super(inner);
    }

    /** Applies {@code op} on the correct session and notes the pin it made or dropped. */
    protected Observation forward(Operation op) {
        Observation o = inner.apply(op);
        if (op instanceof Operation.Pin p && o instanceof Observation.Pinned pinned) pins.put(pinned.pin(), p);
        if (op instanceof Operation.Unpin u && o instanceof Observation.Ok) pins.remove(u.pin());
        return o;
    }

    /** The pinned spans {@code {from, to}} of {@code gmem} inside {@code [offset, offset + size)}, from their first page. */
    protected List<long[]> pinnedIn(int gmem, long offset, long size) {
        List<long[]> out = new ArrayList<>();
        for (Operation.Pin p : pins.values()) {
            long lo = Math.max(p.offset() & -PAGE_SIZE, offset);
            long hi = Math.min(p.offset() + p.length(), offset + size);
            if (p.gmem() == gmem && lo < hi) out.add(new long[] {lo, hi});
        }
        return out;
    }
}
