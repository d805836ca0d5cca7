package dev.gmem.api;

/**
 * A target cannot be used; the message is one line saying what is wrong and how to fix it. A spec
 * that names nothing (a typo) is a usage error; a target that exists but that this machine cannot
 * run ({@link #unavailable}: no /dev/kvm, an edition this kernel lacks) is the environment's.
 */
public final class TargetException extends Exception {
    private final boolean unavailable;

    public TargetException(String message) {
        this(message, null, false);
    }

    public TargetException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private TargetException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** The spec is right, but this machine cannot run it (exit status 3, not 2). */
    public static TargetException unavailable(String message) {
        return new TargetException(message, null, true);
    }

    public boolean isUnavailable() {
        return unavailable;
    }
}
