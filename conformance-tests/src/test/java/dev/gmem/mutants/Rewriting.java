package dev.gmem.mutants;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;

/** A session that forwards to a correct one and rewrites what it must to be broken. */
abstract class Rewriting implements Session {
    protected final Session inner;

    Rewriting(Session inner) {
        this.inner = inner;
    }

    @Override
    public Observation apply(Operation op) {
        return inner.apply(op);
    }

    @Override
    public java.util.Optional<dev.gmem.api.Footprint> footprint() {
        return inner.footprint();
    }

    @Override
    public void close() {
        inner.close();
    }
}
