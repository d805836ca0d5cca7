package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.outcome.Status;
import dev.gmem.model.ModelEvent;
import dev.gmem.model.ModelTarget;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.clauses.SeqClauses;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SEQ's reach: at the default budget it takes every transition the model of each edition can take
 * (coverage feedback included), for several seeds, and says so in its statistics; no run ever
 * takes a transition {@link ModelEvent#possibleIn} says the edition cannot take.
 */
class SeqCoverageTest {
    static final List<Long> SEEDS = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

    @TestFactory
    Stream<DynamicTest> seqReachesEveryModelTransitionAtTheDefaultBudget() {
        return Edition.where(e -> true).stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            int total = ModelEvent.possibleIn(e).size();
            for (long seed : SEEDS) {
                ClauseRunner.Decision d = ClauseRunner.run(new ModelTarget(e), SeqClauses.SEQ, e,
                        RunConfig.of(seed, RunConfig.DEFAULT_TRIES));
                assertThat(d.outcome().status()).isEqualTo(Status.PASSED);
                String line = d.outcome().statistics().stream().filter(l -> l.startsWith(Reach.TRANSITIONS)).findFirst()
                        .orElseThrow();
                assertThat(line).as("seed " + seed).isEqualTo(Reach.TRANSITIONS + total + "/" + total + " reached in " + e.name());
                for (String events : d.outcome().statistics().stream().filter(l -> l.startsWith(Checker.EVENTS + ": ")).toList()) {
                    for (ModelEvent impossible : ModelEvent.values()) {
                        if (impossible.occursIn(e) || impossible == ModelEvent.UNSUPPORTED) continue;
                        assertThat(events).as(e.name() + " took " + impossible).doesNotContain(" " + impossible.name() + "=");
                    }
                }
            }
        }));
    }
}
