package dev.gmem.property;

/**
 * A property does not hold for one test case. {@code key} says how it fails (the shrinker keeps an
 * edit only while the key stays the same), the message says everything else.
 */
public class PropertyFailure extends RuntimeException {
    private final String key;

    public PropertyFailure(String key, String message) {
        super(message, null, false, false);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
