package dev.gmem.race;

import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.outcome.HistoryText;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.model.ReferenceModel;
import dev.gmem.property.PropertyFailure;
import dev.gmem.property.Skip;
import dev.gmem.suite.Checker;
import dev.gmem.suite.ConcurrentFailure;

import java.util.Optional;

/**
 * A RACE clause's check as one property test case: a concurrent case made from the test case's
 * choices, its prefix run on the checker's session, then its threads at once (where the target's
 * sessions are thread-safe), the history checked for linearizability.
 *
 * <p>A history the model cannot explain is shrunk here with the race machinery ({@link RaceShrinker}
 * on fresh sessions, each candidate rerun until it fails), not by the property engine, whose
 * candidates a flaky race often passes; the shrunk case is then rerun {@link #RERUNS} times and
 * the failure says how many failed, with the picture of the shrunk history.
 */
public final class RaceCheck {
    /** Reruns of the shrunk case whose failures the message counts. */
    static final int RERUNS = 20;

    private RaceCheck() {
    }

    public static void run(Checker k, Mix mix) {
        ConcurrentCase c = new CaseGen(k.edition(), k.capabilities(), mix).generate(k.choices());
        long runSeed = k.choices().draw(1L << 32);
        ReferenceModel model = ReferenceModel.of(k.edition());
        ConcurrentRunner.Prefix prefix;
        History h;
        try {
            prefix = ConcurrentRunner.prefix(k.session(), model, c);
            if (!k.concurrentSession()) {
                throw new Skip("the target's sessions are not thread-safe");
            }
            if (c.threads().size() < 2) return;
            h = ConcurrentRunner.threads(k.session(), c, prefix, runSeed);
        } catch (ConcurrentRunner.Aborted a) {
            throw new PropertyFailure("RACE: the run aborted", c.describe() + "\n" + a.getMessage());
        }
        for (Call call : h.calls()) k.choices().note(Checker.OPERATIONS, call.operation().kind().name());
        Verdict v = Linearizability.check(model, h.start(), h.calls());
        if (v.linearizable()) return;
        RaceFailure found = new RaceFailure(v.outcome() == Verdict.Outcome.UNDECIDED ? RaceFailure.Kind.UNDECIDED
                : RaceFailure.Kind.NOT_LINEARIZABLE, c, h, v, "");
        String key = "RACE: " + v.outcome();
        if (k.target() == null) throw carrying(key, headline(found) + "\n" + pictured(found), found.reported(model, 0, 0), false);
        throw shrunkFailure(key, k.target(), k, model, found);
    }

    /** The failure shrunk on fresh sessions and rerun, its message saying how, with the shrunk case for the reports. */
    private static PropertyFailure shrunkFailure(String key, Target target, Checker k, ReferenceModel model, RaceFailure found) {
        RaceConfig config = RaceConfig.of(found.testCase().seed());
        RaceShrinker shrinker = new RaceShrinker(target, k.edition(), model, config);
        RaceFailure shrunk;
        RaceRun.Replay replay;
        try {
            shrunk = shrinker.shrink(found);
            replay = RaceRun.replay(target, k.edition(), shrunk.testCase(), RERUNS);
        } catch (TargetException e) {
            String message = headline(found) + "\n(not shrunk: " + e.getMessage() + ")\n" + pictured(found);
            return carrying(key, message, found.reported(model, 0, 0), true);
        }
        ConcurrentCase o = found.testCase();
        ConcurrentCase s = shrunk.testCase();
        StringBuilder b = new StringBuilder(headline(shrunk)).append('\n');
        b.append("shrunk by the race shrinker from ").append(o.threads().size()).append(" threads and ").append(o.operations())
                .append(" operations to ").append(s.threads().size()).append(" threads and ").append(s.operations())
                .append(" operations in ").append(shrinker.attempts()).append(" attempts\n");
        b.append(replay.failed()).append(" of ").append(replay.runs()).append(" reruns of the shrunk case failed")
                .append(" (a race shows in some runs only; the interleaving is not reproducible)\n");
        b.append(pictured(shrunk));
        String message = b.toString();
        return carrying(key, message, shrunk.reported(model, replay.runs(), replay.failed()), true);
    }

    /** The failure with its concurrent case for the reports, where the failing run left a history. */
    private static PropertyFailure carrying(String key, String message, Optional<RaceCase> race, boolean shrunk) {
        return race.<PropertyFailure>map(r -> new ConcurrentFailure(key, message, r, shrunk))
                .orElseGet(() -> new PropertyFailure(key, message, shrunk));
    }

    private static String headline(RaceFailure f) {
        return f.kind().name().toLowerCase().replace('_', '-') + " history (" + f.testCase().threads().size()
                + " threads, " + f.testCase().operations() + " operations)";
    }

    /** The case, then its history's picture between the markers a report finds it by. */
    private static String pictured(RaceFailure f) {
        String picture = f.history() == null ? f.detail() : HistoryPicture.render(f.history(), f.verdict());
        return f.testCase().describe() + "\n" + HistoryText.wrap(picture);
    }
}
