package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.model.ModelTarget;
import dev.gmem.model.ReferenceModel;
import dev.gmem.property.PropertyResult;
import dev.gmem.property.PropertyRunner;
import dev.gmem.property.RunConfig;
import dev.gmem.property.Statistics;
import dev.gmem.suite.clauses.SeqClauses;

import java.time.Duration;
import java.util.Map;

/**
 * Measures the SEQ property against each model edition: sequences and steps (operations) per
 * second, after a warm-up. {@code java -cp ... dev.gmem.suite.Bench [SECONDS_PER_EDITION]}.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        ClauseProperty seq = SeqClauses.SEQ.checks().get(0);
        System.out.printf("%-16s %12s %12s %14s%n", "edition", "sequences", "seq/s", "steps/s");
        for (Edition e : Edition.all()) {
            ModelTarget target = new ModelTarget(e);
            var property = ClauseRunner.asProperty(target, e, target.capabilities(e), ReferenceModel.of(e), seq);
            // warm-up: let the JIT compile the model and the generators
            PropertyRunner.run(RunConfig.of(1, Integer.MAX_VALUE).withTimeBudget(Duration.ofMillis(1000)), property);
            RunConfig config = RunConfig.of(2, Integer.MAX_VALUE).withTimeBudget(Duration.ofMillis((long) (seconds * 1000)));
            long start = System.nanoTime();
            PropertyResult r = PropertyRunner.run(config, property);
            double took = (System.nanoTime() - start) / 1e9;
            long steps = 0;
            Statistics s = r.statistics();
            for (Map.Entry<String, Long> k : s.asMap().getOrDefault(Checker.OPERATIONS, Map.of()).entrySet()) steps += k.getValue();
            System.out.printf("%-16s %12d %12.0f %14.0f%s%n", e.name(), r.tries(), r.tries() / took, steps / took,
                    r.passed() ? "" : "  (" + r.outcome() + ")");
        }
    }
}
