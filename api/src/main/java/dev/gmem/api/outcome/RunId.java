package dev.gmem.api.outcome;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** A run's id, e.g. {@code 20260618T101500Z-3f9a}: its UTC start time and a random tail, unique per start. */
public final class RunId {
    /** {@code -Dgmem.runId=ID}: the id the launcher chose (it names the run's folder before the JVM starts). */
    public static final String PROPERTY = "gmem.runId";
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    private RunId() {
    }

    public static String fresh() {
        String time = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        return time + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** The id {@code -Dgmem.runId} names, else a fresh one. */
    public static String fromSystem() {
        String named = System.getProperty(PROPERTY, "").trim();
        if (named.isEmpty()) return fresh();
        if (!SHAPE.matcher(named).matches()) {
            throw new IllegalArgumentException("bad -D" + PROPERTY + " '" + named + "': letters, digits, '.', '_', '-' only");
        }
        return named;
    }
}
