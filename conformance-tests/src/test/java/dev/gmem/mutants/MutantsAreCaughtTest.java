package dev.gmem.mutants;

import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.Clause;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.clauses.Catalogue;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite finds bugs: every broken variant of the model is caught by the clause it breaks (in at
 * least {@value #CAUGHT_IN} of {@value #SEEDS} seeds at the default budget), the failure shrinks
 * to at most {@value #MAX_SHRUNK} operations under SEQ and {@value #MAX_SHRUNK_NAMED} under the
 * named clause (whose property has a fixed preamble), and the same seed gives the same shrunk
 * sequence again.
 */
class MutantsAreCaughtTest {
    static final int MAX_SHRUNK = 6;
    static final int MAX_SHRUNK_NAMED = 12;
    static final int SEEDS = 20;
    static final int CAUGHT_IN = 19;
    static final long SEED = 20261125L;
    static final RunConfig CONFIG = RunConfig.of(SEED, 200);

    @Test
    void thereAreAtLeastTenBrokenVariantsEachBreakingAKnownClause() {
        assertThat(Mutants.all()).hasSizeGreaterThanOrEqualTo(10);
        for (Mutant m : Mutants.all()) {
            assertThat(Catalogue.byId(m.breaks())).as(m.name()).isPresent();
            assertThat(Catalogue.byId(m.breaks()).orElseThrow().bindsEdition(m.edition())).as(m.name()).isTrue();
        }
    }

    /**
     * The named clause stating the broken rule catches it, not only SEQ, at the default budget
     * ({@value RunConfig#DEFAULT_TRIES} tries, the default time); shrinking is cut short, as it
     * decides nothing about whether the bug was found.
     */
    @TestFactory
    Stream<DynamicTest> theNamedClauseCatchesEachBrokenVariantInNineteenOfTwentySeeds() {
        return Mutants.all().stream().map(m -> DynamicTest.dynamicTest(m.id() + " is caught by " + m.breaks(), () -> {
            Clause clause = Catalogue.byId(m.breaks()).orElseThrow();
            List<Long> missed = new java.util.ArrayList<>();
            for (long seed = 1; seed <= SEEDS; seed++) {
                RunConfig config = new RunConfig(seed, RunConfig.DEFAULT_TRIES, RunConfig.DEFAULT_TIME, 1, java.time.Duration.ZERO);
                if (ClauseRunner.run(m, clause, m.edition(), config).outcome().status() != Status.FAILED) missed.add(seed);
            }
            assertThat(SEEDS - missed.size()).as(m.id() + " missed by " + m.breaks() + " with seeds " + missed)
                    .isGreaterThanOrEqualTo(CAUGHT_IN);
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachBrokenVariantIsCaughtShrunkAndReplayed() {
        return Mutants.all().stream().map(m -> DynamicTest.dynamicTest(m.id() + " is caught by " + m.breaks(), () -> {
            Clause clause = Catalogue.byId(m.breaks()).orElseThrow();
            ClauseRunner.Decision first = ClauseRunner.run(m, clause, m.edition(), CONFIG);
            assertThat(first.outcome().status()).as(m.name() + ": " + first.message()).isEqualTo(Status.FAILED);
            List<Step> shrunk = first.outcome().shrunk();
            assertThat(shrunk).as(first.message()).isNotEmpty().hasSizeLessThanOrEqualTo(MAX_SHRUNK_NAMED);
            ClauseRunner.Decision again = ClauseRunner.run(m, clause, m.edition(), CONFIG);
            assertThat(again.outcome().shrunk()).as("the same seed gives the same shrunk sequence").isEqualTo(shrunk);
            ClauseRunner.Decision seq = ClauseRunner.run(m, Catalogue.byId("SEQ").orElseThrow(), m.edition(), CONFIG);
            assertThat(seq.outcome().status()).as("SEQ catches " + m.id() + " too").isEqualTo(Status.FAILED);
            assertThat(seq.outcome().shrunk()).as(seq.message()).hasSizeLessThanOrEqualTo(MAX_SHRUNK);
            System.out.printf("mutant %-26s %-8s shrunk %d (from %d) | SEQ %s%s%n", m.id(), m.breaks(), shrunk.size(),
                    first.originalLength(), seq.outcome().status(),
                    seq.outcome().status() == Status.FAILED
                            ? " shrunk " + seq.outcome().shrunk().size() + " (from " + seq.originalLength() + ")" : "");
        }));
    }
}
