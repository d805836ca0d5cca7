package dev.gmem.property;

import java.util.ArrayList;
import java.util.List;

/** General generators; the domain's are in the suite. */
public final class Generators {
    private Generators() {
    }

    /** A long in {@code [lo, hi]}, shrinking toward {@code lo}. */
    public static Generator<Long> longs(long lo, long hi) {
        if (hi < lo) throw new IllegalArgumentException("empty range " + lo + ".." + hi);
        return c -> lo + c.draw(hi - lo + 1);
    }

    /** An int in {@code [lo, hi]}, shrinking toward {@code lo}. */
    public static Generator<Integer> ints(int lo, int hi) {
        return c -> (int) (lo + c.draw((long) hi - lo + 1));
    }

    /** One of {@code values}, shrinking toward the first. */
    @SafeVarargs
    public static <T> Generator<T> oneOf(T... values) {
        List<T> list = List.of(values);
        return c -> c.pick(list);
    }

    /** One of the named cases of {@code type}, shrinking toward the first, counted in the statistics. */
    public static <E extends Enum<E>> Generator<E> cases(Class<E> type) {
        return c -> c.pick(type);
    }

    /**
     * A list of up to {@code max} elements, about {@code average} on average: one choice says
     * whether there is another element (0 = stop); that choice and the element's form one span, so
     * deleting the span deletes exactly one element.
     */
    public static <T> Generator<List<T>> lists(Generator<T> element, int average, int max) {
        return c -> {
            List<T> out = new ArrayList<>();
            while (out.size() < max) {
                c.startSpan();
                boolean more = more(c, average);
                if (more) out.add(element.generate(c));
                c.endSpan();
                if (!more) break;
            }
            return out;
        };
    }

    /** Whether a sequence of about {@code average} elements goes on; stopping is the simplest answer. */
    public static boolean more(Choices c, int average) {
        return c.draw(average + 1) != 0;
    }
}
