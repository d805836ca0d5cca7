package dev.gmem.property;

/**
 * Thrown by a property to stop it at once, neither passed nor failed nor shrunk (a target call that
 * timed out would time out again on every shrink attempt): {@link PropertyRunner#run} lets it through.
 */
public final class Abort extends RuntimeException {
    public Abort(String message) {
        super(message, null, false, false);
    }
}
