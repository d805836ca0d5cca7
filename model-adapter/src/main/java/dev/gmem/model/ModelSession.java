package dev.gmem.model;

import dev.gmem.api.Footprint;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;

import java.util.Optional;

/**
 * The model as a target: each step answers the model's example and moves to the state after it.
 * Steps from several threads take a lock, so each is atomic and every concurrent history the
 * session gives is linearizable by construction (what the RACE checker is tested against).
 */
final class ModelSession implements Session {
    private final ReferenceModel model;
    private ModelState state;

    ModelSession(ReferenceModel model) {
        this.model = model;
        this.state = model.initial();
    }

    @Override
    public synchronized Observation apply(Operation operation) {
        Expectation e = model.expect(state, operation);
        Observation o = e.example();
        state = e.next(o);
        return o;
    }

    /**
     * The model's footprint from its state: an fd per open VM and guest_memfd, a mapping per
     * guest_memfd the host can map, its live pins, and every page of an open guest_memfd as allocated.
     */
    @Override
    public synchronized Optional<Footprint> footprint() {
        long fds = (state.vmOpen(0) ? 1 : 0) + (state.vmOpen(1) ? 1 : 0);
        long mappings = 0;
        long pages = 0;
        for (ModelState.GmemInfo g : state.liveGmems()) {
            fds++;
            if (g.mappable() || model.edition().hostViewIsSeparate()) mappings++;
            pages += g.pages();
        }
        return Optional.of(new Footprint(fds, mappings, state.livePins().size(), pages));
    }

    synchronized ModelState state() {
        return state;
    }

    @Override
    public synchronized void close() {
        state = model.initial();
    }
}
