package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.model.ModelTarget;
import dev.gmem.property.RunConfig;
import dev.gmem.api.outcome.Status;
import dev.gmem.suite.Clause;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.clauses.RaceClauses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The RACE group as the suite runs it: through the clause runner, one concurrent case per test case. */
class RaceClausesInTheSuiteTest {

    @Test
    void everyRaceClausePassesOnTheModelOfEveryEditionItBinds() {
        for (Clause c : RaceClauses.ALL) {
            for (Edition e : Edition.where(c::bindsEdition)) {
                ClauseRunner.Decision d = ClauseRunner.run(new ModelTarget(e), c, e, RunConfig.of(5, 40));
                assertThat(d.outcome().status()).as(c.id() + " on " + e.name() + ": " + d.message()).isEqualTo(Status.PASSED);
            }
        }
    }

    @Test
    void aRacyTargetFailsItsClauseWithTheHistoryInTheMessage() {
        RunConfig config = RunConfig.of(6, 400).withTimeBudget(Duration.ofSeconds(60));
        ClauseRunner.Decision d = ClauseRunner.run(new ToyTarget(ToyGmem.Flaw.CONVERT_CHECKS_THEN_FLIPS), RaceClauses.RACE_1,
                Edition.INPLACE_V8, config);
        assertThat(d.outcome().status()).as(d.message()).isEqualTo(Status.FAILED);
        assertThat(d.message()).contains("not-linearizable history").contains("thread 1 (host)").contains("┌")
                .contains("shrunk by the race shrinker").containsPattern("\\d+ of 20 reruns of the shrunk case failed");
        assertThat(d.message()).doesNotContain(" 0 of 20 reruns");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("to (\\d+) threads and (\\d+) operations").matcher(d.message());
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isLessThanOrEqualTo(3);
        String history = dev.gmem.api.outcome.HistoryText.in(d.message()).orElseThrow();
        assertThat(history).contains("thread 0 (host)").contains("no order of the * calls explains every answer");
        assertThat(d.message().split("--- history", -1)).as("the picture once: a race is shrunk where it is found").hasSize(2);
    }

    /** As on the 6.12 reference kernel, which speaks vm-attributes only: the skip says what is missing, in one line. */
    @Test
    void aClauseNeedingInPlaceConversionIsSkippedOnVmAttributesNamingWhatIsMissing() {
        ModelTarget target = new ModelTarget(Edition.VM_ATTRIBUTES);
        for (Clause c : List.of(RaceClauses.RACE_1, RaceClauses.RACE_2, RaceClauses.RACE_3, RaceClauses.RACE_4)) {
            ClauseRunner.Decision d = ClauseRunner.run(target, c, Edition.VM_ATTRIBUTES, RunConfig.of(8, 10));
            assertThat(d.outcome().status()).as(d.message()).isEqualTo(Status.SKIPPED);
            assertThat(d.message()).startsWith(c.id() + " needs ").doesNotContain("\n")
                    .endsWith("; target " + target.name() + " speaks vm-attributes");
            if (c != RaceClauses.RACE_2) assertThat(d.message()).contains("in-place conversion");
        }
        assertThat(RaceClauses.RACE_5.bindsEdition(Edition.VM_ATTRIBUTES)).isTrue();
    }

    @Test
    void aTargetWithoutThreadSafeSessionsHasTheRaceClausesSkipped() {
        dev.gmem.api.Target plain = PlainTarget.of(new ModelTarget(Edition.INPLACE_V8));
        ClauseRunner.Decision d = ClauseRunner.run(plain, RaceClauses.RACE_5, Edition.INPLACE_V8, RunConfig.of(7, 10));
        assertThat(d.outcome().status()).isEqualTo(Status.SKIPPED);
        assertThat(d.message()).contains("not thread-safe");
    }
}
