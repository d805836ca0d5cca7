package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.model.ReferenceModel;

import java.util.Optional;

/** One run of a concurrent case on a fresh session of a target, checked for linearizability. */
public final class RaceRun {
    private RaceRun() {
    }

    /** The failure this run shows, if any. */
    public static Optional<RaceFailure> once(Target target, Edition edition, ReferenceModel model, ConcurrentCase c,
                                             long runSeed) throws TargetException {
        History h;
        try (Session session = target.open(edition)) {
            h = ConcurrentRunner.run(session, model, c, runSeed);
        } catch (ConcurrentRunner.Aborted a) {
            return Optional.of(new RaceFailure(RaceFailure.Kind.ABORTED, c, null, null, a.getMessage()));
        }
        Verdict v = Linearizability.check(model, h.start(), h.calls());
        switch (v.outcome()) {
            case LINEARIZABLE: return Optional.empty();
            case UNDECIDED: return Optional.of(new RaceFailure(RaceFailure.Kind.UNDECIDED, c, h, v, ""));
            default: return Optional.of(new RaceFailure(RaceFailure.Kind.NOT_LINEARIZABLE, c, h, v, ""));
        }
    }

    /** Runs {@code c} up to {@code runs} times; the first failure of kind {@code kind} (any kind when null). */
    static Optional<RaceFailure> upTo(Target target, Edition edition, ReferenceModel model, ConcurrentCase c, int runs,
                                      RaceFailure.Kind kind, long deadline) throws TargetException {
        for (int r = 0; r < runs && (r == 0 || System.nanoTime() < deadline); r++) {
            Optional<RaceFailure> f = once(target, edition, model, c, RaceConfig.runSeed(c.seed(), r));
            if (f.isPresent() && (kind == null || f.get().kind() == kind)) return f;
        }
        return Optional.empty();
    }

    /** Replay: runs the case {@code runs} times and counts the runs that fail (the interleaving is not reproducible). */
    public static Replay replay(Target target, Edition edition, ConcurrentCase c, int runs) throws TargetException {
        ReferenceModel model = ReferenceModel.of(edition);
        int failed = 0;
        RaceFailure first = null;
        for (int r = 0; r < runs; r++) {
            Optional<RaceFailure> f = once(target, edition, model, c, RaceConfig.runSeed(c.seed(), r));
            if (f.isPresent()) {
                failed++;
                if (first == null) first = f.get();
            }
        }
        return new Replay(runs, failed, Optional.ofNullable(first));
    }

    /** How often a replayed case failed. */
    public record Replay(int runs, int failed, Optional<RaceFailure> first) {
        @Override
        public String toString() {
            return failed + " of " + runs + " runs failed";
        }
    }
}
