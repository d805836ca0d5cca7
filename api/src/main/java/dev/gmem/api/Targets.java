package dev.gmem.api;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Resolves a target spec such as {@code model:inplace-v8} through the installed providers. */
public final class Targets {
    private Targets() {
    }

    public static List<TargetProvider> providers() {
        List<TargetProvider> out = new ArrayList<>();
        ServiceLoader.load(TargetProvider.class).forEach(out::add);
        return out;
    }

    public static List<Target> resolve(String spec) throws TargetException {
        int colon = spec.indexOf(':');
        String scheme = colon < 0 ? spec : spec.substring(0, colon);
        String argument = colon < 0 ? "" : spec.substring(colon + 1);
        List<String> known = new ArrayList<>();
        for (TargetProvider p : providers()) {
            if (p.scheme().equals(scheme)) return p.create(argument);
            known.add(p.scheme());
        }
        throw new TargetException("unknown target '" + spec + "': known targets are " + String.join(", ", known)
                + " (see --help)");
    }
}
