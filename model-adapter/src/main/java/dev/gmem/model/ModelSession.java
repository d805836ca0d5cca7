package dev.gmem.model;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;

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

    synchronized ModelState state() {
        return state;
    }

    @Override
    public synchronized void close() {
        state = model.initial();
    }
}
