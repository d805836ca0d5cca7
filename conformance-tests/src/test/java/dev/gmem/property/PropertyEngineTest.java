package dev.gmem.property;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyEngineTest {

    private static final Generator<List<Long>> LISTS = Generators.lists(Generators.longs(0, 10_000), 20, 100);

    /** Replays a counterexample's choices through the generator, to see the value it stands for. */
    private static <T> T valueOf(Generator<T> g, PropertyResult r) {
        return g.generate(Choices.replay(r.shrunk().orElseThrow().choices()));
    }

    @Test
    void shrinksAnElementBoundToTheSmallestFailingValue() {
        PropertyResult r = PropertyRunner.run(RunConfig.of(1, 200), c -> {
            for (long v : LISTS.generate(c)) {
                if (v >= 1000) throw new PropertyFailure("too big", "element " + v);
            }
        });
        assertThat(r.outcome()).isEqualTo(PropertyResult.Outcome.FAILED);
        assertThat(valueOf(LISTS, r)).containsExactly(1000L);
        assertThat(r.reason()).isEqualTo("element 1000");
    }

    @Test
    void theShrinkersNamedPassesAreCountedInTheStatistics() {
        PropertyResult r = PropertyRunner.run(RunConfig.of(1, 200), c -> {
            for (long v : LISTS.generate(c)) {
                if (v >= 1000) throw new PropertyFailure("too big", "element " + v);
            }
        });
        assertThat(r.outcome()).isEqualTo(PropertyResult.Outcome.FAILED);
        long tried = 0;
        for (Shrinker.Pass p : Shrinker.Pass.values()) tried += r.statistics().get(Shrinker.TRIED, p.name());
        assertThat(tried).isPositive();
        // the list shrinks to one element: spans were deleted and the value was lowered, each by its pass
        assertThat(r.statistics().get(Shrinker.KEPT, Shrinker.Pass.DELETE_SPANS.name())).isPositive();
        assertThat(r.statistics().get(Shrinker.KEPT, Shrinker.Pass.LOWER_VALUES.name())).isPositive();
        assertThat(r.statistics().asMap().get(Shrinker.KEPT).keySet())
                .allMatch(name -> java.util.Arrays.stream(Shrinker.Pass.values()).anyMatch(p -> p.name().equals(name)));
    }

    @Test
    void aSliceThatDoesNotReproduceGivesWayToTheNextWiderOne() {
        // the failure names two slices: the failing step alone (which passes when replayed) and the
        // step with the marker it needs; the shrinker keeps the wider one at once
        Property p = c -> {
            int marker = -1;
            while (true) {
                c.startSpan();
                boolean more = Generators.more(c, 30);
                long v = more ? c.draw(10) : 0;
                int at = c.drawn() - 1;
                c.endSpan();
                if (!more) return;
                if (v == 7 && marker >= 0) {
                    throw new PropertyFailure("7 after 9", "7 after 9", List.of(new int[] {at}, new int[] {marker, at}));
                }
                if (v == 9) marker = at;
            }
        };
        PropertyResult r = PropertyRunner.run(RunConfig.of(3, 200), p);
        assertThat(r.outcome()).isEqualTo(PropertyResult.Outcome.FAILED);
        assertThat(r.original().orElseThrow().choices().length).isGreaterThan(r.shrunk().orElseThrow().choices().length);
        assertThat(r.statistics().get(Shrinker.KEPT, Shrinker.Pass.SLICE.name())).isPositive();
        assertThat(r.statistics().get(Shrinker.TRIED, Shrinker.Pass.SLICE.name())).isGreaterThanOrEqualTo(2);
        // two steps and the end of the sequence: more, 9, more, 7, more=false... as few choices as that
        assertThat(r.shrunk().orElseThrow().choices()).hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void namedCasesAreDrawnFromTheirEnumAndCounted() {
        Choices c = Choices.replay(new long[] {2, 0});
        assertThat(c.pick(java.util.concurrent.TimeUnit.class)).isEqualTo(java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(Generators.cases(java.time.DayOfWeek.class).generate(c)).isEqualTo(java.time.DayOfWeek.MONDAY);
        assertThat(c.statistics().get(Choices.CASES, "TimeUnit.MILLISECONDS")).isEqualTo(1);
        assertThat(c.statistics().get(Choices.CASES, "DayOfWeek.MONDAY")).isEqualTo(1);
    }

    @Test
    void shrinksASumToAMinimalList() {
        PropertyResult r = PropertyRunner.run(RunConfig.of(7, 200), c -> {
            long sum = LISTS.generate(c).stream().mapToLong(Long::longValue).sum();
            if (sum > 5000) throw new PropertyFailure("sum", "sum " + sum);
        });
        List<Long> shrunk = valueOf(LISTS, r);
        assertThat(shrunk.stream().mapToLong(Long::longValue).sum()).isEqualTo(5001);
        assertThat(shrunk).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void shrinksAStatefulSequenceWhoseLaterStepsDependOnEarlierOnes() {
        // a "stack machine": pop names a live element; the bug is popping after three pushes
        Property p = c -> {
            List<String> trace = new ArrayList<>();
            int depth = 0;
            while (true) {
                c.startSpan();
                if (!Generators.more(c, 30)) break;
                boolean push = depth == 0 || c.draw(2) == 0;
                if (push) {
                    depth++;
                    trace.add("push");
                } else {
                    // counted from the top, so that the simplest choice names the newest element
                    int which = depth - 1 - c.drawInt(depth);
                    trace.add("pop " + which);
                    if (depth >= 3 && which == depth - 1) {
                        throw new PropertyFailure("pop-top", String.join(",", trace));
                    }
                    depth--;
                }
                c.endSpan();
                c.note("operations", push ? "push" : "pop");
            }
        };
        PropertyResult r = PropertyRunner.run(RunConfig.of(3, 500), p);
        assertThat(r.outcome()).isEqualTo(PropertyResult.Outcome.FAILED);
        assertThat(r.reason()).isEqualTo("push,push,push,pop 2");
        assertThat(r.original().orElseThrow().message().split(",").length)
                .isGreaterThanOrEqualTo(r.shrunk().orElseThrow().message().split(",").length);
    }

    @Test
    void theSameSeedGivesTheSameResult() {
        Property p = c -> {
            List<Long> l = LISTS.generate(c);
            if (l.size() > 3 && l.get(2) > l.get(1)) throw new PropertyFailure("order", l.toString());
        };
        PropertyResult a = PropertyRunner.run(RunConfig.of(42, 100), p);
        PropertyResult b = PropertyRunner.run(RunConfig.of(42, 100), p);
        assertThat(a.outcome()).isEqualTo(PropertyResult.Outcome.FAILED);
        assertThat(a.tries()).isEqualTo(b.tries());
        assertThat(a.original().orElseThrow().choices()).isEqualTo(b.original().orElseThrow().choices());
        assertThat(a.shrunk().orElseThrow().choices()).isEqualTo(b.shrunk().orElseThrow().choices());
        assertThat(a.reason()).isEqualTo(b.reason());
    }

    @Test
    void aShrunkCounterexampleReplaysFromItsChoicesAlone() {
        Property p = c -> {
            List<Long> l = LISTS.generate(c);
            if (l.stream().filter(v -> v > 5000).count() >= 2) throw new PropertyFailure("two big", l.toString());
        };
        PropertyResult r = PropertyRunner.run(RunConfig.of(11, 200), p);
        PropertyResult.Counterexample shrunk = r.shrunk().orElseThrow();
        PropertyRunner.Execution again = PropertyRunner.execute(p, Choices.replay(shrunk.choices()));
        assertThat(again.failure().orElseThrow().getMessage()).isEqualTo(shrunk.message()).isEqualTo("[5001, 5001]");
    }

    @Test
    void theSeedTriesAndTimeComeFromSystemProperties() {
        String[] keys = {RunConfig.SEED, RunConfig.TRIES, RunConfig.TIME};
        String[] old = new String[keys.length];
        for (int i = 0; i < keys.length; i++) old[i] = System.getProperty(keys[i]);
        try {
            System.setProperty(RunConfig.SEED, "4242");
            System.setProperty(RunConfig.TRIES, "17");
            System.setProperty(RunConfig.TIME, "3s");
            RunConfig c = RunConfig.fromSystem();
            assertThat(c.seed()).isEqualTo(4242);
            assertThat(c.tries()).isEqualTo(17);
            assertThat(c.timeBudget()).isEqualTo(Duration.ofSeconds(3));
            System.setProperty(RunConfig.TRIES, "zero");
            org.assertj.core.api.Assertions.assertThatThrownBy(RunConfig::fromSystem)
                    .hasMessageContaining("bad tries 'zero' (--tries, -Dgmem.tries)");
            System.setProperty(RunConfig.TRIES, "17");
            // every value the launcher's shape accepts is range-checked here, before anything runs
            for (String[] bad : new String[][] {{RunConfig.SEED, "99999999999999999999"}, {RunConfig.TRIES, "99999999999999"},
                    {RunConfig.TIME, "0"}, {RunConfig.TIME, "99999999999999m"}, {RunConfig.TIME, "NaNs"}}) {
                String before = System.getProperty(bad[0]);
                System.setProperty(bad[0], bad[1]);
                org.assertj.core.api.Assertions.assertThatThrownBy(RunConfig::fromSystem).as(bad[1])
                        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bad ").hasMessageContaining(bad[1]);
                System.setProperty(bad[0], before);
            }
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (old[i] == null) System.clearProperty(keys[i]); else System.setProperty(keys[i], old[i]);
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentCases() {
        List<Long> first = new ArrayList<>();
        for (long seed : new long[] {1, 2}) {
            PropertyRunner.run(RunConfig.of(seed, 1), c -> first.add(c.draw(1L << 40)));
        }
        assertThat(first.get(0)).isNotEqualTo(first.get(1));
    }

    @Test
    void aRunStopsAtItsTimeBudget() {
        RunConfig config = RunConfig.of(5, 1_000_000).withTimeBudget(Duration.ofMillis(200));
        long start = System.nanoTime();
        PropertyResult r = PropertyRunner.run(config, c -> Thread.sleep(10));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.outcome()).isEqualTo(PropertyResult.Outcome.PASSED);
        assertThat(r.tries()).isBetween(1, 40);
        assertThat(tookMs).isLessThan(2000);
    }

    @Test
    void aRunStopsAtItsTries() {
        PropertyResult r = PropertyRunner.run(RunConfig.of(5, 37), c -> c.draw(10));
        assertThat(r.tries()).isEqualTo(37);
    }

    @Test
    void aCaseThatNeverOccurredIsReportedNotPassed() {
        Property p = c -> c.note("observations", c.draw(1_000_000) == 3 ? "rare" : "common");
        PropertyResult r = PropertyRunner.run(RunConfig.of(9, 50), p, List.of(new Requirement("observations", "rare")));
        assertThat(r.outcome()).isEqualTo(PropertyResult.Outcome.FAILED);
        assertThat(r.reason()).contains("never occurred").contains("observations rare");
        assertThat(r.statistics().get("observations", "common")).isEqualTo(50);
    }

    @Test
    void aSkipSkipsWithItsReason() {
        PropertyResult r = PropertyRunner.run(RunConfig.of(9, 50), c -> {
            throw new Skip("no private memory");
        });
        assertThat(r.outcome()).isEqualTo(PropertyResult.Outcome.SKIPPED);
        assertThat(r.reason()).isEqualTo("no private memory");
    }

    @Test
    void assertionErrorsAndExceptionsAreFailures() {
        PropertyResult r = PropertyRunner.run(RunConfig.of(9, 50), c -> {
            if (c.draw(4) == 2) throw new IllegalStateException("boom");
        });
        assertThat(r.outcome()).isEqualTo(PropertyResult.Outcome.FAILED);
        assertThat(r.reason()).contains("boom");
    }

    @Test
    void durationsParse() {
        assertThat(RunConfig.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(RunConfig.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(RunConfig.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(RunConfig.parseDuration("1.5")).isEqualTo(Duration.ofMillis(1500));
    }
}
