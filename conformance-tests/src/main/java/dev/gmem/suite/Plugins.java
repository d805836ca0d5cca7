package dev.gmem.suite;

import java.io.File;
import java.util.Arrays;
import java.util.List;

/**
 * The third-party target jars the launcher put on the class path ({@code --plugin PATH.jar},
 * {@code GMEM_PLUGINS}), as it tells the suite in {@code -Dgmem.plugins}: a printed replay command
 * names each again, so it finds the same targets.
 */
public final class Plugins {
    /** The plug-in jars, a path list ({@code a.jar:b.jar}). */
    public static final String PROPERTY = "gmem.plugins";

    private Plugins() {
    }

    public static List<String> fromSystem() {
        return parse(System.getProperty(PROPERTY, ""));
    }

    static List<String> parse(String pathList) {
        return Arrays.stream(pathList.split(File.pathSeparator)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code  --plugin a.jar --plugin b.jar} (with a leading space), or nothing; paths with spaces quoted. */
    public static String options(List<String> jars) {
        StringBuilder b = new StringBuilder();
        for (String jar : jars) b.append(" --plugin ").append(quoted(jar));
        return b.toString();
    }

    private static String quoted(String path) {
        return path.matches("[A-Za-z0-9_./:@%+=,-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
