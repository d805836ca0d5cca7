package dev.gmem.property;

/**
 * A property does not hold for one test case. {@code key} says how it fails (the shrinker keeps an
 * edit only while the key stays the same), the message says everything else. A failure the check
 * has {@code shrunk} itself (a race, which reruns of the engine's candidates often miss) is
 * reported as it is.
 */
public class PropertyFailure extends RuntimeException {
    private final String key;
    private final boolean shrunk;

    public PropertyFailure(String key, String message) {
        this(key, message, false);
    }

    public PropertyFailure(String key, String message, boolean shrunk) {
        super(message, null, false, false);
        this.key = key;
        this.shrunk = shrunk;
    }

    /** Whether the check shrank this failure itself: the engine's shrinker leaves it alone. */
    public boolean shrunk() {
        return shrunk;
    }

    public String key() {
        return key;
    }
}
