package dev.gmem.suite;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.outcome.Step;
import dev.gmem.api.TargetTimeout;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelEvent;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import dev.gmem.property.Aborted;
import dev.gmem.property.Choices;
import dev.gmem.property.Requirement;
import dev.gmem.property.Skip;

import java.util.ArrayList;
import java.util.List;

/**
 * One test case on a target: applies each operation to the target's session, checks the
 * observation against the set the model allows, and follows the model's state so that generators
 * can aim at live handles and pinned or converted pages. Every property goes through it, so every
 * observation of every property is checked against the model; properties add the clause's own
 * statement with {@link #require}.
 */
public final class Checker {
    public static final String OPERATIONS = "operations";
    public static final String OBSERVATIONS = "observations";
    public static final String EVENTS = "events";
    public static final String CASES = Choices.CASES;
    /** Time in the model's expectations and checks of the answers, in {@link dev.gmem.property.Statistics#nanos}. */
    public static final String MODEL_CHECK = "model check";
    /** Time in the target's answers. */
    public static final String TARGET = "target";

    private final Edition edition;
    private final ReferenceModel model;
    private final Session session;
    private final Capabilities capabilities;
    private final Choices choices;
    private final boolean concurrentSession;
    private Target target;
    private final Trace trace = new Trace();
    private ModelState state;
    private Recent recent = Recent.NONE;

    /** The range most recently converted, so that later accesses can aim at it. */
    public record Recent(int gmem, long offset, long size) {
        static final Recent NONE = new Recent(-1, 0, 0);
    }

    Checker(Edition edition, ReferenceModel model, Session session, Capabilities capabilities, Choices choices) {
        this(edition, model, session, capabilities, choices, false);
    }

    Checker(Edition edition, ReferenceModel model, Session session, Capabilities capabilities, Choices choices,
            boolean concurrentSession) {
        this.concurrentSession = concurrentSession;
        this.edition = edition;
        this.model = model;
        this.session = session;
        this.capabilities = capabilities;
        this.choices = choices;
        this.state = model.initial();
    }

    /** The same checker able to open fresh sessions of {@code target} (RACE reruns and shrinks a case on them). */
    Checker withTarget(Target target) {
        this.target = target;
        return this;
    }

    /** The target the session came from, for checks that open fresh sessions; null when not known. */
    public Target target() {
        return target;
    }

    /** The session under test, for checks that drive it from several threads (RACE). */
    public Session session() {
        return session;
    }

    /** Whether {@link #session} may be called from several threads at once ({@link dev.gmem.api.Target#threadSafeSessions}). */
    public boolean concurrentSession() {
        return concurrentSession;
    }

    public Edition edition() {
        return edition;
    }

    public ModelState state() {
        return state;
    }

    /** The release-dependent answers the model follows for this target (UPSTREAM.md §3). */
    public KernelFacts kernelFacts() {
        return model.facts();
    }

    public Choices choices() {
        return choices;
    }

    public Capabilities capabilities() {
        return capabilities;
    }

    public Recent recent() {
        return recent;
    }

    /** The steps so far, each with the model's allowed set in words (built here, not on every step). */
    public List<Step> steps() {
        return trace.steps();
    }

    /** How many operations this test case applied. */
    public int stepCount() {
        return trace.size();
    }

    /** The target's own footprint now ({@link Session#footprint}); empty when it cannot measure one. */
    public java.util.Optional<dev.gmem.api.Footprint> footprint() {
        return session.footprint();
    }

    public boolean supports(OperationKind kind) {
        return capabilities.supports(kind);
    }

    /** Applies {@code op} on the target; fails the test case if the model does not allow the answer. */
    public Observation apply(Operation op) {
        if (!capabilities.supports(op.kind())) {
            throw new Skip("the target cannot " + op.kind() + ": " + capabilities.whyNot(op.kind()).orElse(""));
        }
        boolean timed = trace.timesStep();
        long t0 = timed ? System.nanoTime() : 0;
        Expectation expected = model.expect(state, op);
        long t1 = timed ? System.nanoTime() : 0;
        Observation seen;
        try {
            seen = session.apply(op);
        } catch (TargetTimeout e) {
            throw e; // not the target's bug: its call did not come back in time (a timed-out clause)
        } catch (RuntimeException e) {
            // a broken adapter, not a conformance failure: Session.apply answers errors, it never throws
            trace.add(state, choices.drawn() - 1, op, expected, new Observation.OtherExit("threw " + e), true);
            throw new Aborted("target error: " + op.kind() + " threw " + e, e);
        }
        long t2 = timed ? System.nanoTime() : 0;
        ModelState after = expected.nextIfAllowed(seen);
        boolean allowed = after != null;
        if (timed) trace.timed(t1 - t0 + System.nanoTime() - t2, t2 - t1);
        trace.add(state, choices.drawn() - 1, op, expected, seen, !allowed);
        if (seen instanceof Observation.Unsupported u && !allowed) {
            throw new Skip("the target cannot " + op.kind() + ": " + u.reason());
        }
        if (!allowed) {
            throw new SequenceFailure(
                    "diverged at " + op.kind() + ": seen " + seen.getClass().getSimpleName() + ", expected "
                            + expected.example().getClass().getSimpleName(),
                    "step " + trace.size() + " answered " + seen + " where the model of " + edition.name()
                            + " allows " + expected.describe(),
                    trace.steps(), trace.sliceOfLast());
        }
        state = after;
        // a transient refusal (v13's EAGAIN while a vCPU fault holds a folio): retry; the model bounds the retries
        if (expected.isTransient(seen)) return apply(op);
        if (op instanceof Operation.Convert c && expected.events().contains(ModelEvent.CONVERTED)) {
            recent = new Recent(c.gmem(), c.offset(), c.size());
        }
        return seen;
    }

    /**
     * The clause's own statement about what was observed; {@code what} reads as the clause does and
     * is the same text for every test case (it is how the shrinker recognises the failure).
     */
    public void require(boolean holds, String what) {
        require(holds, what, "");
    }

    /** As {@link #require(boolean, String)}, with the particulars of this test case in {@code detail}. */
    public void require(boolean holds, String what, String detail) {
        if (!holds) {
            throw new SequenceFailure("violated: " + what,
                    "the clause does not hold: " + what + (detail.isEmpty() ? "" : " (" + detail + ")"), trace.steps(),
                    trace.sliceOfLast());
        }
    }

    /** One of the named cases {@code type} lists (the first is the simplest), counted in the statistics. */
    public <E extends Enum<E>> E draw(Class<E> type) {
        return choices.pick(type);
    }

    /** One of the named cases of {@code type} that apply here ({@code applies}), counted; the others are not offered. */
    public <E extends Enum<E>> E draw(Class<E> type, java.util.function.Predicate<E> applies) {
        List<E> offered = new ArrayList<>();
        for (E e : type.getEnumConstants()) if (applies.test(e)) offered.add(e);
        return choices.pick(offered, true);
    }

    /** Counts a named case this test case reached without drawing it. */
    public void reached(Enum<?> namedCase) {
        choices.noteCase(namedCase);
    }

    /**
     * Adds this test case's operations, observations and events to its choices' statistics: they are
     * counted per step in arrays and added once, when the test case ends (however it ends).
     */
    void countStatistics() {
        trace.countInto(choices.statistics());
    }

    /** The statistics entry a named case or a model event is counted under. */
    static Requirement requirement(Enum<?> c) {
        return c instanceof ModelEvent e ? new Requirement(EVENTS, e.name()) : new Requirement(CASES, Choices.caseLabel(c));
    }
}
