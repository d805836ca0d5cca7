package dev.gmem.api;

import java.util.List;
import java.util.Map;

/**
 * Something that implements guest_memfd conversion and can be checked by the suite: the
 * reference model, a real kernel, or a third party's implementation.
 */
public interface Target {

    /** The name reports use, e.g. {@code model:inplace-v8} or {@code kernel}. */
    String name();

    /** The editions this target speaks, the one to check by default first. */
    List<Edition> editions();

    Capabilities capabilities(Edition edition);

    /** Opens a fresh session; a target that cannot (no /dev/kvm, ...) says why in one line. */
    Session open(Edition edition) throws TargetException;

    /**
     * The answers that changed between kernel releases, as this target gives them for {@code edition}: the
     * edition's defaults unless the target detected otherwise (then {@link KernelFacts#decidedBy} says how).
     */
    default KernelFacts kernelFacts(Edition edition) {
        return edition.kernelFacts();
    }

    /**
     * Whether {@link Session#apply} may be called from several threads at once on one session (the
     * RACE clauses need it; a target that says no has them skipped).
     */
    default boolean threadSafeSessions() {
        return false;
    }

    /** Facts for reports, such as the kernel release and the generations detected. */
    default Map<String, String> facts() {
        return Map.of();
    }
}
