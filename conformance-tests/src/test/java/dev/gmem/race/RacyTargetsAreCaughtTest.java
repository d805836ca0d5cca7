package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.suite.Clause;
import dev.gmem.suite.clauses.RaceClauses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each racy flaw of the toy guest_memfd is caught as a non-linearizable history and shrunk to at
 * most 3 threads and 8 operations. A race shows in some runs only: the search runs many cases,
 * each several times, within a budget generous enough that a miss means the checker is broken.
 */
class RacyTargetsAreCaughtTest {

    static Stream<Arguments> flaws() {
        return Stream.of(
                Arguments.of(ToyGmem.Flaw.CONVERT_CHECKS_THEN_FLIPS, RaceClauses.RACE_1, Mix.CONVERT_PIN),
                Arguments.of(ToyGmem.Flaw.PUNCH_ZEROES_AFTER_UNLOCK, RaceClauses.RACE_2, Mix.PUNCH_ACCESS),
                Arguments.of(ToyGmem.Flaw.PIN_COUNT_NOT_ATOMIC, RaceClauses.RACE_3, Mix.PIN_COUNT));
    }

    @ParameterizedTest
    @MethodSource("flaws")
    void isCaughtWithItsClausesMixAndShrunk(ToyGmem.Flaw flaw, Clause clause, Mix mix) throws Exception {
        ToyTarget target = new ToyTarget(flaw);
        assertThat(clause.bindsEdition(Edition.INPLACE_V8)).isTrue();
        RaceConfig config = new RaceConfig(2026, 5000, 6, Duration.ofSeconds(90), 60, Duration.ofSeconds(60));
        RaceSearch.Result r = RaceSearch.search(target, Edition.INPLACE_V8, mix, config);
        System.out.println("== " + clause.id() + " (" + mix + ") on " + target.name() + "\n" + r.message());
        assertThat(r.original()).as("a non-linearizable history of " + target.name() + " in " + r.runs() + " runs").isPresent();
        RaceFailure shrunk = r.shrunk().orElseThrow();
        assertThat(shrunk.kind()).as(r.message()).isEqualTo(RaceFailure.Kind.NOT_LINEARIZABLE);
        assertThat(shrunk.testCase().threads().size()).as(r.message()).isLessThanOrEqualTo(3);
        assertThat(shrunk.testCase().operations()).as(r.message()).isLessThanOrEqualTo(8);
        assertThat(r.message()).contains("thread 0").contains("┌").contains("└");

        RaceRun.Replay replay = RaceRun.replay(target, Edition.INPLACE_V8, shrunk.testCase(), 60);
        System.out.println("replay of the shrunk case: " + replay);
        assertThat(replay.failed()).as("the shrunk case fails again in some of its reruns").isPositive();
    }
}
