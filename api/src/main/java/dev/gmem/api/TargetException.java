package dev.gmem.api;

/** A target cannot be used; the message is one line saying what is wrong and how to fix it. */
public final class TargetException extends Exception {
    public TargetException(String message) {
        super(message);
    }

    public TargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
