package dev.gmem.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** KERNEL-ABI.md as the tests read it (a copy of the project's spec in the test resources). */
final class KernelAbiDoc {
    private KernelAbiDoc() {
    }

    static List<String> lines() {
        try (InputStream in = KernelAbiDoc.class.getResourceAsStream("/KERNEL-ABI.md")) {
            if (in == null) throw new IllegalStateException("KERNEL-ABI.md missing from the test resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a static long/int constant by name from a class of the adapter. */
    static long constant(Class<?> owner, String name) {
        try {
            var f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return ((Number) f.get(null)).longValue();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(owner.getSimpleName() + " has no constant " + name, e);
        }
    }
}
