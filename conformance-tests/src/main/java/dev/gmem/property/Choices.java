package dev.gmem.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The source of every random decision of one test case, and its record. A test case <em>is</em>
 * its recorded choices: replaying the same choices makes the same test case, and the shrinker
 * makes smaller test cases by editing them. A choice is a number in {@code [0, bound)}; generators
 * are written so that 0 is the simplest answer (the shortest list, the smallest size, the first
 * alternative), so lowering choices simplifies the case.
 *
 * <p>Choices also records spans, the ranges of choices one generator call made (one operation of a
 * sequence), so the shrinker can delete or simplify whole operations.
 */
public final class Choices {
    /** More choices than this means a generator does not terminate on the edited choices. */
    static final int MAX_CHOICES = 200_000;

    private final long[] prefix;
    /** How many of {@code prefix} are read before fresh choices: a corpus entry's prefix is shared, not copied. */
    private final int prefixEnd;
    private final SplittableRandom random;
    /** Span-aligned replay: the outermost spans of {@code prefix}, as pairs (start, end); null: read in order. */
    private final int[] segments;
    private int cursor;
    private int segment;
    /** While an outermost span is replayed aligned, the end of its choices in {@code prefix}; else -1. */
    private int limit = -1;
    private long[] recorded;
    private int size;
    /** Spans as pairs: {@code spans[2i]} starts span i, {@code spans[2i + 1]} ends it. */
    private int[] spans;
    private int spanCount;
    private int[] openSpans;
    private int openCount;
    private final Statistics statistics = new Statistics();

    private static final long[] NONE = new long[0];

    private Choices(long[] prefix, SplittableRandom random, int[] segments) {
        this(prefix, prefix.length, random, segments, null);
    }

    /** {@code finished}: a test case done with, whose record storage this one takes over (or null). */
    private Choices(long[] prefix, int prefixEnd, SplittableRandom random, int[] segments, Choices finished) {
        this.prefix = prefix;
        this.prefixEnd = prefixEnd;
        this.random = random;
        this.segments = segments;
        recorded = finished != null ? finished.recorded : new long[64];
        spans = finished != null ? finished.spans : new int[32];
        openSpans = finished != null ? finished.openSpans : new int[8];
    }

    /** Fresh choices from a random source. */
    static Choices random(SplittableRandom random) {
        return random(random, null);
    }

    /**
     * Fresh choices from a random source, recorded in the storage of {@code finished} (a test case
     * nothing reads any more, or null): a run of many test cases grows its record arrays once.
     */
    static Choices random(SplittableRandom random, Choices finished) {
        return new Choices(NONE, 0, random, null, finished);
    }

    /**
     * The first {@code length} of {@code prefix} (which is never written), then fresh ones from
     * {@code random} once they are used up (coverage feedback); recorded as {@link #random(SplittableRandom, Choices)}.
     */
    static Choices continuing(long[] prefix, int length, SplittableRandom random, Choices finished) {
        return new Choices(prefix, length, random, null, finished);
    }

    /** The given choices, then zeros (the simplest answer) once they are used up. */
    public static Choices replay(long[] choices) {
        return new Choices(choices.clone(), null, null);
    }

    /**
     * The given choices, each outermost span of {@code segments} (pairs: start, end) read by the
     * generator call it was recorded for: a call that draws fewer leaves the rest unread, one that
     * draws more gets zeros, so an edit of one operation never shifts the choices of the next.
     */
    static Choices replayAligned(long[] choices, int[] segments) {
        return new Choices(choices.clone(), null, segments.clone());
    }

    /** A number in {@code [0, bound)}. */
    public long draw(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        if (size >= MAX_CHOICES) throw new Overrun();
        long value;
        if (limit >= 0 ? cursor < limit : cursor < prefixEnd) {
            // an edited case may hold a value its (changed) context no longer allows: clamp it, so that
            // "the newest of n" stays the newest when an earlier element is deleted
            long p = prefix[cursor++];
            value = Long.compareUnsigned(p, bound) < 0 ? p : bound - 1;
        } else if (random != null) {
            value = random.nextLong(bound);
        } else {
            value = 0;
        }
        if (size == recorded.length) recorded = Arrays.copyOf(recorded, size * 2);
        recorded[size++] = value;
        return value;
    }

    /** How many choices this test case has drawn so far: the position of the next. */
    public int drawn() {
        return size;
    }

    /** An int in {@code [0, bound)}. */
    public int drawInt(int bound) {
        return (int) draw(bound);
    }

    /** True with probability {@code 1/oneIn} on fresh choices; false is the simpler answer. */
    public boolean chance(int oneIn) {
        return draw(oneIn) == oneIn - 1;
    }

    /** A choice among alternatives, the first being the simplest. */
    public <T> T pick(List<T> alternatives) {
        return alternatives.get(drawInt(alternatives.size()));
    }

    /** Named cases are counted in this category, as {@code Type.CONSTANT}. */
    public static final String CASES = "cases";

    /**
     * One of the named cases {@code type} lists, the first being the simplest, counted in the
     * statistics under {@link #CASES}: the enum says what a property distinguishes.
     */
    public <E extends Enum<E>> E pick(Class<E> type) {
        return pick(List.of(type.getEnumConstants()), true);
    }

    /**
     * One of {@code applicable} (named cases of one enum, the first the simplest), counted under
     * {@link #CASES}; every one offered is entered with 0 too, so a case never drawn in a run shows.
     */
    public <E extends Enum<E>> E pick(List<E> applicable, boolean namedCases) {
        E chosen = applicable.get(drawInt(applicable.size()));
        if (namedCases) {
            for (E offered : applicable) statistics.add(CASES, caseLabel(offered), 0);
            noteCase(chosen);
        }
        return chosen;
    }

    /** Counts a named case that occurred without being drawn (a state the test case happened to reach). */
    public void noteCase(Enum<?> reached) {
        note(CASES, caseLabel(reached));
    }

    /** {@code Conv3Range.OVERFLOW}: the enum's simple name and the constant. */
    public static String caseLabel(Enum<?> c) {
        return CASE_LABELS.get(c.getDeclaringClass())[c.ordinal()];
    }

    /** Per enum type, its constants' labels: noting a case builds no string. */
    private static final ClassValue<String[]> CASE_LABELS = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] out = new String[constants.length];
            for (int i = 0; i < constants.length; i++) out[i] = type.getSimpleName() + "." + ((Enum<?>) constants[i]).name();
            return out;
        }
    };

    /** Marks the start of one generator call whose choices the shrinker may treat as a unit. */
    public void startSpan() {
        if (openCount == 0 && segments != null && segment < segments.length / 2 && segments[2 * segment] == cursor) {
            limit = segments[2 * segment + 1];
        }
        if (openCount == openSpans.length) openSpans = Arrays.copyOf(openSpans, openCount * 2);
        openSpans[openCount++] = size;
    }

    public void endSpan() {
        int start = openSpans[--openCount];
        if (openCount == 0 && limit >= 0) {
            cursor = Math.max(cursor, limit);
            limit = -1;
            segment++;
        }
        while (openCount == 0 && segments != null && segment < segments.length / 2 && segments[2 * segment] < cursor) segment++;
        if (size <= start) return;
        if (2 * spanCount + 2 > spans.length) spans = Arrays.copyOf(spans, spans.length * 2);
        spans[2 * spanCount] = start;
        spans[2 * spanCount + 1] = size;
        spanCount++;
    }

    /** Counts {@code label} in {@code category} for the run's statistics. */
    public void note(String category, String label) {
        statistics.count(category, label);
    }

    public Statistics statistics() {
        return statistics;
    }

    long[] recorded() {
        return Arrays.copyOf(recorded, size);
    }

    List<int[]> spans() {
        List<int[]> out = new ArrayList<>(spanCount);
        for (int i = 0; i < spanCount; i++) out.add(new int[] {spans[2 * i], spans[2 * i + 1]});
        return out;
    }

    /** Thrown when a test case asks for more choices than any sane generator would. */
    static final class Overrun extends RuntimeException {
        Overrun() {
            super("more than " + MAX_CHOICES + " choices", null, false, false);
        }
    }
}
