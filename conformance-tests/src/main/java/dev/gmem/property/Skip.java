package dev.gmem.property;

/** The property cannot be checked on this target; the reason names what is missing. */
public final class Skip extends RuntimeException {
    public Skip(String reason) {
        super(reason, null, false, false);
    }
}
