package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.model.ModelTarget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RaceClausesTest {

    @Test
    void idsAreUniqueAndEachClauseBindsSomeEdition() {
        Set<String> ids = new HashSet<>();
        for (RaceClause c : RaceClauses.all()) {
            assertThat(ids.add(c.id())).as(c.id()).isTrue();
            assertThat(c.id()).startsWith("RACE-");
            assertThat(Edition.all().stream().anyMatch(c::bindsEdition)).as(c.id()).isTrue();
        }
    }

    @Test
    void everyClauseHoldsOnTheModelOfEveryEditionItBinds() {
        RaceConfig config = RaceConfig.of(3).withCases(25).withRunsPerCase(1).withBudget(Duration.ofSeconds(5));
        for (RaceClause c : RaceClauses.all()) {
            for (Edition e : Edition.all()) {
                RaceSearch.Result r = c.check(new ModelTarget(e), e, config);
                if (!c.bindsEdition(e)) {
                    assertThat(r.skipped()).contains("does not bind");
                    continue;
                }
                assertThat(r.passed()).as(c.id() + " on " + e.name() + ": " + r.message()).isTrue();
            }
        }
    }
}
