package dev.gmem.race;

import java.time.Duration;

/**
 * How hard a race search tries: up to {@code cases} cases from {@code seed}, each run up to
 * {@code runsPerCase} times (a race shows in some runs only), within {@code budget}; a failure is
 * shrunk, each candidate run up to {@code shrinkRuns} times, within {@code shrinkBudget}.
 */
public record RaceConfig(long seed, int cases, int runsPerCase, Duration budget, int shrinkRuns, Duration shrinkBudget) {

    public RaceConfig {
        if (cases <= 0 || runsPerCase <= 0 || shrinkRuns <= 0) {
            throw new IllegalArgumentException("cases, runs per case and shrink runs must be positive");
        }
    }

    public static RaceConfig of(long seed) {
        return new RaceConfig(seed, 200, 5, Duration.ofSeconds(10), 40, Duration.ofSeconds(30));
    }

    public RaceConfig withCases(int n) {
        return new RaceConfig(seed, n, runsPerCase, budget, shrinkRuns, shrinkBudget);
    }

    public RaceConfig withRunsPerCase(int n) {
        return new RaceConfig(seed, cases, n, budget, shrinkRuns, shrinkBudget);
    }

    public RaceConfig withBudget(Duration d) {
        return new RaceConfig(seed, cases, runsPerCase, d, shrinkRuns, shrinkBudget);
    }

    /** The seed of case {@code index}: one printed run seed replays every case. */
    long caseSeed(int index) {
        return mix(seed * 0x9E3779B97F4A7C15L + index);
    }

    /** The seed of run {@code run} of a case (start delays). */
    static long runSeed(long caseSeed, int run) {
        return mix(caseSeed ^ (0xBF58476D1CE4E5B9L * (run + 1)));
    }

    private static long mix(long h) {
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
