package dev.gmem.api;

/**
 * One run of operations against a target, from a fresh world (one VM, no guest_memfd): it hands
 * out guest_memfd and pin handles in order (see {@link Operation}) and releases everything on close.
 * {@link #apply} never throws for anything the target answers, including errors and faults.
 */
public interface Session extends AutoCloseable {

    Observation apply(Operation operation);

    /**
     * What the session holds on the host now ({@link Footprint}), for the leak check of LIFE-2; a
     * target that cannot measure it answers empty, and LIFE-2 is then skipped, never passed.
     */
    default java.util.Optional<Footprint> footprint() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
