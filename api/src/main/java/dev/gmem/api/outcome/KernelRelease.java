package dev.gmem.api.outcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The running kernel's release, as {@code uname -r} prints it. */
public final class KernelRelease {
    private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");

    private KernelRelease() {
    }

    public static String current() {
        try {
            return Files.readString(OSRELEASE).trim();
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.version", "unknown");
        }
    }
}
