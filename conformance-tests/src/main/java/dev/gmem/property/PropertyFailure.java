package dev.gmem.property;

/**
 * A property does not hold for one test case. {@code key} says how it fails (the shrinker keeps an
 * edit only while the key stays the same), the message says everything else. A failure the check
 * has {@code shrunk} itself (a race, which reruns of the engine's candidates often miss) is
 * reported as it is.
 */
public class PropertyFailure extends RuntimeException {
    private static final int[] NO_SLICE = {};

    private final String key;
    private final int[] slice;
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
        this(key, message, slice, false);
    }

    private PropertyFailure(String key, String message, int[] slice, boolean shrunk) {
        super(message, null, false, false);
        this.key = key;
        this.slice = slice.clone();
        this.shrunk = shrunk;
    }

    /** Whether the check shrank this failure itself: the engine's shrinker leaves it alone. */
    public boolean shrunk() {
        return shrunk;
    }

    public String key() {
        return key;
    }

    /** Choice positions the failure depends on; empty when it does not say. */
    public int[] slice() {
        return slice.clone();
    }
}
