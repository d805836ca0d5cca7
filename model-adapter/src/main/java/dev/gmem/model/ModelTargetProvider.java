package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.TargetProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code -Dgmem.target=model} (every edition) or {@code model:<edition>}. */
public final class ModelTargetProvider implements TargetProvider {

    @Override
    public String scheme() {
        return "model";
    }

    @Override
    public String description() {
        return "model[:<edition>]  the reference model, every edition or one of " + editionNames();
    }

    @Override
    public List<Target> create(String argument) throws TargetException {
        if (argument.isEmpty()) {
            List<Target> out = new ArrayList<>();
            for (Edition e : Edition.all()) out.add(new ModelTarget(e));
            return out;
        }
        Optional<Edition> e = Edition.byName(argument);
        if (e.isEmpty()) {
            throw new TargetException("unknown edition '" + argument + "' for target model: known editions are "
                    + editionNames());
        }
        return List.of(new ModelTarget(e.get()));
    }

    private static String editionNames() {
        List<String> names = new ArrayList<>();
        for (Edition e : Edition.all()) names.add(e.name());
        return String.join(", ", names);
    }
}
