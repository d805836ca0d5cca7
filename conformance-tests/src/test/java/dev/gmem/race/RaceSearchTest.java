package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.model.ModelTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Correct targets give linearizable histories only: the checker has no false alarms on them. */
class RaceSearchTest {

    static List<Edition> editions() {
        return Edition.all();
    }

    @ParameterizedTest
    @MethodSource("editions")
    void everyHistoryOfTheThreadSafeModelIsLinearizable(Edition e) {
        RaceConfig config = RaceConfig.of(14).withCases(60).withRunsPerCase(2).withBudget(Duration.ofSeconds(20));
        RaceSearch.Result r = RaceSearch.search(new ModelTarget(e), e, Mix.ALL, config);
        assertThat(r.passed()).as(r.message()).isTrue();
        assertThat(r.cases()).isPositive();
    }

    @Test
    void everyHistoryOfTheCorrectToyIsLinearizable() {
        RaceConfig config = RaceConfig.of(15).withCases(150).withRunsPerCase(2).withBudget(Duration.ofSeconds(20));
        RaceSearch.Result r = RaceSearch.search(new ToyTarget(ToyGmem.Flaw.NONE), Edition.INPLACE_V8, Mix.HOST, config);
        assertThat(r.passed()).as(r.message()).isTrue();
        assertThat(r.runs()).isGreaterThan(100);
    }

    @Test
    void aTargetWithoutThreadSafeSessionsIsSkippedWithAReason() {
        dev.gmem.api.Target plain = PlainTarget.of(new ModelTarget(Edition.INPLACE_V8));
        RaceSearch.Result r = RaceSearch.search(plain, Edition.INPLACE_V8, Mix.ALL, RaceConfig.of(1));
        assertThat(r.passed()).isFalse();
        assertThat(r.skipped()).contains("no thread-safe sessions");
    }
}
