package dev.gmem.model;

import dev.gmem.api.Observation;

import java.util.List;
import java.util.Set;

/**
 * An expectation widened by {@link RacingRules}: what {@code base} allows, or one of {@code extra}
 * (a refusal or an exit caused by a concurrent operation, {@code because}), after which nothing has changed.
 */
record RacingAnswer(Expectation base, List<Observation> extra, ModelState unchanged, String because) implements Expectation {

    RacingAnswer {
        extra = List.copyOf(extra);
    }

    @Override
    public boolean allows(Observation observed) {
        return base.allows(observed) || extra.contains(observed);
    }

    @Override
    public ModelState next(Observation observed) {
        if (base.allows(observed)) return base.next(observed);
        if (!extra.contains(observed)) throw Disallowed.of(this, observed);
        return unchanged;
    }

    @Override
    public Observation example() {
        return base.example();
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(base.describe()).append(", or ").append(because).append(' ');
        for (int i = 0; i < extra.size(); i++) b.append(i == 0 ? "" : " or ").append(Describe.of(extra.get(i)));
        return b.toString();
    }

    @Override
    public Set<ModelEvent> events() {
        return base.events();
    }
}
