package dev.gmem.property;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How long a property runs: at most {@code tries} test cases and at most {@code timeBudget}, from
 * {@code seed}; shrinking a failure is bounded by {@code shrinkTime} (and by {@code shrinkAttempts}
 * runs when that is set; by default only time bounds it). {@code guidedShrinking}: the shrinker
 * first tries the slice of the test case a failure says it depends on ({@link PropertyFailure#slice}).
 */
public record RunConfig(long seed, int tries, Duration timeBudget, int shrinkAttempts, Duration shrinkTime,
                        boolean guidedShrinking) {

    public static final String SEED = "gmem.seed";
    public static final String TRIES = "gmem.tries";
    public static final String TIME = "gmem.time";
    /** Time budget for shrinking one failure (slow targets, such as a kernel under emulation, want more). */
    public static final String SHRINK_TIME = "gmem.shrinkTime";
    /** The most runs shrinking one failure may try (unbounded unless set: time alone bounds it). */
    public static final String SHRINK_ATTEMPTS = "gmem.shrinkAttempts";

    public static final int DEFAULT_TRIES = 100;
    public static final Duration DEFAULT_TIME = Duration.ofSeconds(10);
    public static final int DEFAULT_SHRINK_ATTEMPTS = Integer.MAX_VALUE;
    public static final Duration DEFAULT_SHRINK_TIME = Duration.ofSeconds(30);

    public RunConfig {
        if (tries <= 0) throw new IllegalArgumentException("tries must be positive: " + tries);
        if (shrinkAttempts <= 0) throw new IllegalArgumentException("shrink attempts must be positive: " + shrinkAttempts);
    }

    /** Model-guided shrinking on. */
    public RunConfig(long seed, int tries, Duration timeBudget, int shrinkAttempts, Duration shrinkTime) {
        this(seed, tries, timeBudget, shrinkAttempts, shrinkTime, true);
    }

    public static RunConfig of(long seed, int tries) {
        return new RunConfig(seed, tries, DEFAULT_TIME, DEFAULT_SHRINK_ATTEMPTS, DEFAULT_SHRINK_TIME, true);
    }

    public RunConfig withSeed(long newSeed) {
        return new RunConfig(newSeed, tries, timeBudget, shrinkAttempts, shrinkTime, guidedShrinking);
    }

    public RunConfig withTries(int newTries) {
        return new RunConfig(seed, newTries, timeBudget, shrinkAttempts, shrinkTime, guidedShrinking);
    }

    public RunConfig withTimeBudget(Duration budget) {
        return new RunConfig(seed, tries, budget, shrinkAttempts, shrinkTime, guidedShrinking);
    }

    public RunConfig withShrinkTime(Duration time) {
        return new RunConfig(seed, tries, timeBudget, shrinkAttempts, time, guidedShrinking);
    }

    public RunConfig withShrinkAttempts(int attempts) {
        return new RunConfig(seed, tries, timeBudget, attempts, shrinkTime, guidedShrinking);
    }

    /** The same, with the shrinker's first try at the failure's own slice on or off (off: the generic passes alone). */
    public RunConfig withGuidedShrinking(boolean guided) {
        return new RunConfig(seed, tries, timeBudget, shrinkAttempts, shrinkTime, guided);
    }

    /**
     * From {@code -Dgmem.seed}, {@code -Dgmem.tries}, {@code -Dgmem.time}, {@code -Dgmem.shrinkTime},
     * {@code -Dgmem.shrinkAttempts}; a fresh seed when none is given.
     */
    public static RunConfig fromSystem() {
        long seed = Optional.ofNullable(System.getProperty(SEED)).filter(s -> !s.isBlank())
                .map(RunConfig::parseSeed).orElseGet(RunConfig::freshSeed);
        int tries = Optional.ofNullable(System.getProperty(TRIES)).filter(s -> !s.isBlank())
                .map(RunConfig::parseTries).orElse(DEFAULT_TRIES);
        Duration time = Optional.ofNullable(System.getProperty(TIME)).filter(s -> !s.isBlank())
                .map(RunConfig::parseDuration).orElse(DEFAULT_TIME);
        Duration shrinkTime = Optional.ofNullable(System.getProperty(SHRINK_TIME)).filter(s -> !s.isBlank())
                .map(text -> parseDuration(text, SHRINK_TIME)).orElse(DEFAULT_SHRINK_TIME);
        int shrinkAttempts = Optional.ofNullable(System.getProperty(SHRINK_ATTEMPTS)).filter(s -> !s.isBlank())
                .map(text -> parsePositive(text, SHRINK_ATTEMPTS)).orElse(DEFAULT_SHRINK_ATTEMPTS);
        return new RunConfig(seed, tries, time, shrinkAttempts, shrinkTime, true);
    }

    /** A seed from the clock, positive and short enough to type. */
    public static long freshSeed() {
        return (System.nanoTime() ^ System.currentTimeMillis() * 31) & 0xffff_ffffL;
    }

    /** The most test cases a property may be asked for. */
    public static final int MAX_TRIES = 10_000_000;
    /** The longest time budget a property may be given. */
    public static final Duration MAX_TIME = Duration.ofHours(24);

    public static long parseSeed(String text) {
        try {
            return Long.decode(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad seed '" + text + "' (--seed, -D" + SEED
                    + "): expected a whole number from -9223372036854775808 to 9223372036854775807, such as 12345");
        }
    }

    public static int parseTries(String text) {
        return parsePositive(text, TRIES);
    }

    private static int parsePositive(String text, String property) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n > 0 && (n <= MAX_TRIES || !property.equals(TRIES))) return n;
        } catch (NumberFormatException e) {
            // fall through to the one-line message
        }
        String label = property.equals(TRIES) ? "tries '" + text + "' (--tries, -D" + TRIES + ")" : property + " '" + text + "'";
        int max = property.equals(TRIES) ? MAX_TRIES : Integer.MAX_VALUE;
        throw new IllegalArgumentException("bad " + label + ": expected a number from 1 to " + max + ", such as 100");
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a plain number of seconds: from 1 ms to 24 h. */
    public static Duration parseDuration(String text) {
        return parseDuration(text, TIME);
    }

    /** As {@link #parseDuration(String)}, the message naming {@code property}; at most {@code max}. */
    public static Duration parseDuration(String text, String property, Duration max) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String bad = "bad " + property + " '" + text + "': expected a duration from 1ms to " + words(max)
                + ", such as 10s, 500ms, 2m or 1h";
        double millis;
        try {
            if (t.endsWith("ms")) millis = Double.parseDouble(t.substring(0, t.length() - 2));
            else if (t.endsWith("s")) millis = Double.parseDouble(t.substring(0, t.length() - 1)) * 1000;
            else if (t.endsWith("m")) millis = Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000;
            else if (t.endsWith("h")) millis = Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000;
            else millis = Double.parseDouble(t) * 1000;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad);
        }
        // NaN, infinities, zero, below a millisecond and above the cap are all refused here, before any run
        if (!(millis >= 1 && millis <= max.toMillis())) throw new IllegalArgumentException(bad);
        return Duration.ofMillis(Math.round(millis));
    }

    private static Duration parseDuration(String text, String property) {
        return parseDuration(text, property.equals(TIME) ? "time (--time, -D" + TIME + ")" : property, MAX_TIME);
    }

    private static String words(Duration d) {
        return d.toHours() >= 24 && d.toHours() % 24 == 0 ? d.toDays() * 24 + "h" : d.toMinutes() + "m";
    }
}
