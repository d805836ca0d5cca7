package dev.gmem.model;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;

/** The model as a target: each step answers the model's example and moves to the state after it. */
final class ModelSession implements Session {
    private final ReferenceModel model;
    private ModelState state;

    ModelSession(ReferenceModel model) {
        this.model = model;
        this.state = model.initial();
    }

    @Override
    public Observation apply(Operation operation) {
        Expectation e = model.expect(state, operation);
        Observation o = e.example();
        state = e.next(o);
        return o;
    }

    ModelState state() {
        return state;
    }

    @Override
    public void close() {
        state = model.initial();
    }
}
