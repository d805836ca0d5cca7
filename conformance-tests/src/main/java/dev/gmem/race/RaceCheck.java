package dev.gmem.race;

import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import dev.gmem.property.PropertyFailure;
import dev.gmem.property.Skip;
import dev.gmem.suite.Checker;

/**
 * A RACE clause's check as one property test case: a concurrent case made from the test case's
 * choices, its prefix run on the checker's session, then its threads at once (where the target's
 * sessions are thread-safe), the history checked for linearizability. A failure shows the history.
 */
public final class RaceCheck {
    private RaceCheck() {
    }

    public static void run(Checker k, Mix mix) {
        ConcurrentCase c = new CaseGen(k.edition(), k.capabilities(), mix).generate(k.choices());
        long runSeed = k.choices().draw(1L << 32);
        ReferenceModel model = ReferenceModel.of(k.edition());
        ModelState start;
        History h;
        try {
            start = ConcurrentRunner.prefix(k.session(), model, c);
            if (!k.concurrentSession()) {
                throw new Skip("the target's sessions are not thread-safe (concurrent kernel sessions are phase 2)");
            }
            if (c.threads().size() < 2) return;
            h = ConcurrentRunner.threads(k.session(), c, start, runSeed);
        } catch (ConcurrentRunner.Aborted a) {
            throw new PropertyFailure("RACE: the run aborted", c.describe() + "\n" + a.getMessage());
        }
        for (Call call : h.calls()) k.choices().note(Checker.OPERATIONS, call.operation().kind().name());
        Verdict v = Linearizability.check(model, start, h.calls());
        if (!v.linearizable()) {
            throw new PropertyFailure("RACE: " + v.outcome(), v.outcome().name().toLowerCase().replace('_', '-')
                    + " history (" + c.threads().size() + " threads, " + c.operations() + " operations)\n"
                    + c.describe() + "\n" + HistoryPicture.render(h, v));
        }
    }
}
