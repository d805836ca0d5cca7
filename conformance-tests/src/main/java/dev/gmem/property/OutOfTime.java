package dev.gmem.property;

/**
 * Thrown by a property to stop it at once because the target did not answer in time: neither passed nor failed nor shrunk (a target call that
 * timed out would time out again on every shrink attempt): {@link PropertyRunner#run} lets it through.
 */
public final class OutOfTime extends RuntimeException {
    public OutOfTime(String message) {
        super(message, null, false, false);
    }
}
