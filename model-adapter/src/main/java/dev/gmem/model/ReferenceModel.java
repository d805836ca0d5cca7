package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.Operation;

import java.util.List;

/**
 * The executable specification: one state machine parameterised by an {@link Edition}.
 * Given a state and an operation it returns what the contract allows.
 */
public final class ReferenceModel {
    private final Edition edition;
    private final KernelFacts facts;
    private final Transitions transitions;
    private final RacingRules racing;

    private ReferenceModel(Edition edition, KernelFacts facts) {
        this.edition = edition;
        this.facts = facts;
        this.transitions = new Transitions(edition, facts);
        this.racing = new RacingRules(edition);
    }

    /** The edition with its own kernel facts (its strict defaults). */
    public static ReferenceModel of(Edition edition) {
        return new ReferenceModel(edition, edition.kernelFacts());
    }

    /** The edition on a kernel whose release-dependent answers are {@code facts} (what a target detected). */
    public static ReferenceModel of(Edition edition, KernelFacts facts) {
        return new ReferenceModel(edition, facts);
    }

    public KernelFacts facts() {
        return facts;
    }

    public Edition edition() {
        return edition;
    }

    /** A fresh world: one open VM (and a second one for cross-VM checks), no guest_memfd. */
    public ModelState initial() {
        return World.initial(edition);
    }

    public Expectation expect(ModelState state, Operation operation) {
        if (!(state instanceof World w) || w.edition != edition) {
            throw new IllegalArgumentException("state " + state + " was not made by the model of " + edition.name());
        }
        return transitions.expect(w, operation);
    }

    /**
     * What the contract allows {@code operation} to answer in {@code state} while the operations
     * {@code inFlight} run at the same time on other threads: {@link #expect}, widened where the
     * contract leaves a choice to timing (the transient EAGAIN of {@link RacingRules}).
     */
    public Expectation expectRacing(ModelState state, Operation operation, List<Operation> inFlight) {
        Expectation base = expect(state, operation);
        return racing.widen((World) state, operation, inFlight, base);
    }
}
