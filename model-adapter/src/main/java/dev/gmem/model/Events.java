package dev.gmem.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Shared immutable event sets, so that a model step allocates none for its usual one event. */
final class Events {
    private static final Set<ModelEvent>[] SINGLE = singles();

    private Events() {
    }

    @SuppressWarnings("unchecked")
    private static Set<ModelEvent>[] singles() {
        ModelEvent[] all = ModelEvent.values();
        Set<ModelEvent>[] out = new Set[all.length];
        for (ModelEvent e : all) out[e.ordinal()] = Collections.unmodifiableSet(EnumSet.of(e));
        return out;
    }

    static Set<ModelEvent> of(ModelEvent e) {
        return SINGLE[e.ordinal()];
    }

    static Set<ModelEvent> of(ModelEvent a, ModelEvent b) {
        return a == b ? of(a) : Collections.unmodifiableSet(EnumSet.of(a, b));
    }

    static Set<ModelEvent> plus(Set<ModelEvent> set, ModelEvent e) {
        if (set.contains(e)) return set;
        EnumSet<ModelEvent> out = EnumSet.of(e);
        out.addAll(set);
        return Collections.unmodifiableSet(out);
    }
}
