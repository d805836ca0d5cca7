package dev.gmem.mutants;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.model.ModelTarget;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A deliberately broken variant of the model: the model target of one edition whose sessions are
 * wrapped by {@code breakage}, which rewrites operations or observations the way a wrong kernel
 * patch would. {@code breaks} is the clause it breaks.
 */
record Mutant(String id, String bug, Edition edition, String breaks, UnaryOperator<Session> breakage) implements Target {

    /** As {@code -Dgmem.target=broken:<id>} names it. */
    @Override
    public String name() {
        return BrokenTargetProvider.SCHEME + ":" + id;
    }

    @Override
    public List<Edition> editions() {
        return List.of(edition);
    }

    @Override
    public Capabilities capabilities(Edition e) {
        return new ModelTarget(edition).capabilities(e);
    }

    @Override
    public Session open(Edition e) {
        return breakage.apply(new ModelTarget(edition).open(e));
    }

    @Override
    public String toString() {
        return name();
    }
}
