package dev.gmem.property;

import java.util.List;

/**
 * A property does not hold for one test case. {@code key} says how it fails (the shrinker keeps an
 * edit only while the key stays the same), the message says everything else. A failure the check
 * has {@code shrunk} itself (a race, which reruns of the engine's candidates often miss) is
 * reported as it is.
 */
public class PropertyFailure extends RuntimeException {
    private static final List<int[]> NO_SLICE = List.of();

    private final String key;
    private final List<int[]> slices;
    private final boolean shrunk;

    public PropertyFailure(String key, String message) {
        this(key, message, false);
    }

    public PropertyFailure(String key, String message, boolean shrunk) {
        this(key, message, NO_SLICE, shrunk);
    }

    /**
     * {@code slice}: positions of choices (as {@link Choices#drawn()} counted them) inside the parts
     * of the test case the failure depends on; the shrinker first tries the test case made of those
     * parts alone (the spans holding them, and the choices outside every span).
     */
    public PropertyFailure(String key, String message, int[] slice) {
        this(key, message, List.of(slice), false);
    }

    /**
     * As {@link #PropertyFailure(String, String, int[])} with several slices, the tightest first: the
     * shrinker tries each in turn until one fails the same way (a tight slice can change how the
     * generator reads the kept parts' choices; a wider one keeps what that reading depends on).
     */
    public PropertyFailure(String key, String message, List<int[]> slices) {
        this(key, message, slices, false);
    }

    private PropertyFailure(String key, String message, List<int[]> slices, boolean shrunk) {
        super(message, null, false, false);
        this.key = key;
        this.slices = slices.stream().map(int[]::clone).toList();
        this.shrunk = shrunk;
    }

    /** Whether the check shrank this failure itself: the engine's shrinker leaves it alone. */
    public boolean shrunk() {
        return shrunk;
    }

    public String key() {
        return key;
    }

    /** Choice positions the failure depends on (the tightest slice); empty when it does not say. */
    public int[] slice() {
        return slices.isEmpty() ? new int[0] : slices.get(0).clone();
    }

    /** Every slice, the tightest first; empty when the failure does not say. */
    public List<int[]> slices() {
        return slices.stream().map(int[]::clone).toList();
    }
}
