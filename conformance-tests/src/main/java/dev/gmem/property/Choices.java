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
    private final SplittableRandom random;
    private long[] recorded = new long[64];
    private int size;
    private final List<int[]> spans = new ArrayList<>();
    private final ArrayList<Integer> openSpans = new ArrayList<>();
    private final Statistics statistics = new Statistics();

    private Choices(long[] prefix, SplittableRandom random) {
        this.prefix = prefix;
        this.random = random;
    }

    /** Fresh choices from a random source. */
    static Choices random(SplittableRandom random) {
        return new Choices(new long[0], random);
    }

    /** The given choices, then fresh ones from {@code random} once they are used up (coverage feedback). */
    static Choices continuing(long[] prefix, SplittableRandom random) {
        return new Choices(prefix, random);
    }

    /** The given choices, then zeros (the simplest answer) once they are used up. */
    public static Choices replay(long[] choices) {
        return new Choices(choices.clone(), null);
    }

    /** A number in {@code [0, bound)}. */
    public long draw(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        if (size >= MAX_CHOICES) throw new Overrun();
        long value;
        if (size < prefix.length) {
            // an edited case may hold a value its (changed) context no longer allows: clamp it, so that
            // "the newest of n" stays the newest when an earlier element is deleted
            value = Long.compareUnsigned(prefix[size], bound) < 0 ? prefix[size] : bound - 1;
        } else if (random != null) {
            value = random.nextLong(bound);
        } else {
            value = 0;
        }
        if (size == recorded.length) recorded = Arrays.copyOf(recorded, size * 2);
        recorded[size++] = value;
        return value;
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
        return c.getDeclaringClass().getSimpleName() + "." + c.name();
    }

    /** Marks the start of one generator call whose choices the shrinker may treat as a unit. */
    public void startSpan() {
        openSpans.add(size);
    }

    public void endSpan() {
        int start = openSpans.remove(openSpans.size() - 1);
        if (size > start) spans.add(new int[] {start, size});
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
        return spans;
    }

    /** Thrown when a test case asks for more choices than any sane generator would. */
    static final class Overrun extends RuntimeException {
        Overrun() {
            super("more than " + MAX_CHOICES + " choices", null, false, false);
        }
    }
}
