package dev.gmem.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Shared immutable event sets, so that a model step allocates none for its usual one or two
 * events: the harness counts a step's events by the set's identity.
 */
final class Events {
    private static final Set<ModelEvent>[] SINGLE = singles();
    /**
     * Pairs, made when first asked. A set published through a race is still safe to read: the
     * unmodifiable wrapper's field is final, so a thread that sees the wrapper sees the set filled.
     */
    @SuppressWarnings("unchecked")
    private static final Set<ModelEvent>[][] PAIRS = new Set[SINGLE.length][SINGLE.length];

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
        if (a == b) return of(a);
        if (a.ordinal() > b.ordinal()) return of(b, a);
        Set<ModelEvent> pair = PAIRS[a.ordinal()][b.ordinal()];
        if (pair == null) PAIRS[a.ordinal()][b.ordinal()] = pair = Collections.unmodifiableSet(EnumSet.of(a, b));
        return pair;
    }

    static Set<ModelEvent> plus(Set<ModelEvent> set, ModelEvent e) {
        if (set.contains(e)) return set;
        if (set.size() == 1) return of(set.iterator().next(), e);
        EnumSet<ModelEvent> out = EnumSet.of(e);
        out.addAll(set);
        return Collections.unmodifiableSet(out);
    }

    /** Both sets' events: one of them when it holds the other, a shared pair for two single events. */
    static Set<ModelEvent> union(Set<ModelEvent> a, Set<ModelEvent> b) {
        if (a == b || a.containsAll(b)) return a;
        if (b.containsAll(a)) return b;
        if (a.size() == 1 && b.size() == 1) return of(a.iterator().next(), b.iterator().next());
        EnumSet<ModelEvent> out = EnumSet.copyOf(a);
        out.addAll(b);
        return Collections.unmodifiableSet(out);
    }
}
