package dev.gmem.mutants;

import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.TargetProvider;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code -Dgmem.target=broken:<id>}: one deliberately broken variant of the model, to see the
 * suite fail, shrink and print a replay command ({@code broken} alone: every variant). Lives in
 * the test jar, so only runs that put the test classes on the class path offer it.
 */
public final class BrokenTargetProvider implements TargetProvider {
    static final String SCHEME = "broken";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "broken[:<id>]      a deliberately broken model variant (to see the suite catch it): " + ids();
    }

    @Override
    public List<Target> create(String argument) throws TargetException {
        if (argument.isEmpty()) return List.copyOf(Mutants.all());
        for (Mutant m : Mutants.all()) {
            if (m.id().equals(argument)) return List.of(m);
        }
        throw new TargetException("unknown broken variant '" + argument + "': known ones are " + ids());
    }

    private static String ids() {
        return Mutants.all().stream().map(Mutant::id).collect(Collectors.joining(", "));
    }
}
