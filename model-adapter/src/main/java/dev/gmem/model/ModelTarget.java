package dev.gmem.model;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.Session;
import dev.gmem.api.Target;

import java.util.List;
import java.util.Map;

/** The reference model of one edition as a {@link Target}: {@code model:<edition>}. */
public final class ModelTarget implements Target {
    private final Edition edition;
    private final ReferenceModel model;

    public ModelTarget(Edition edition) {
        this.edition = edition;
        this.model = ReferenceModel.of(edition);
    }

    @Override
    public String name() {
        return "model:" + edition.name();
    }

    @Override
    public List<Edition> editions() {
        return List.of(edition);
    }

    @Override
    public Capabilities capabilities(Edition asked) {
        return Capabilities.all(List.of("reference model of " + edition.name() + " (" + edition.source() + ")"));
    }

    @Override
    public Session open(Edition asked) {
        // the model of one edition answers for that edition only; another edition gets its own model
        return new ModelSession(asked == edition ? model : ReferenceModel.of(asked));
    }

    @Override
    public boolean threadSafeSessions() {
        return true;
    }

    @Override
    public Map<String, String> facts() {
        return Map.of("target", name(), "edition source", edition.source(),
                "kernel.facts", edition.kernelFacts().summary() + ", the edition's own");
    }

    @Override
    public String toString() {
        return name();
    }
}
