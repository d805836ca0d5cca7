package dev.gmem.suite;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.property.PropertyRunner;
import dev.gmem.property.Statistics;

/**
 * Where the time of one clause × target × edition went, in nanoseconds: the target's answers, the
 * model's expectations and checks, shrinking, and the rest of the test cases (generation, choice
 * recording, sessions).
 */
public record ItemTiming(String clauseId, String target, String edition, long total, long generation, long targetNanos,
                         long modelCheck, long shrinking) {

    static ItemTiming of(ClauseOutcome o, long total, Statistics s) {
        long target = s.nanos(Checker.TARGET);
        long model = s.nanos(Checker.MODEL_CHECK);
        // shrinking runs test cases too: their target and model time is inside its own
        long cases = s.nanos(PropertyRunner.TEST_CASES);
        long generation = Math.max(0, cases - target - model);
        if (cases == 0) generation = 0;
        return new ItemTiming(o.clauseId(), o.target(), o.edition(), total, generation, target, model,
                s.nanos(PropertyRunner.SHRINKING));
    }

    String key() {
        return key(clauseId, target, edition);
    }

    static String key(String clauseId, String target, String edition) {
        return clauseId + "|" + target + "|" + edition;
    }
}
