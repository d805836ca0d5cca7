package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The running kernel as a target, or a skipped test that says why there is none. */
final class KvmAvailable {
    private static Target target;
    private static String whyNot;

    private KvmAvailable() {
    }

    static synchronized Target target() {
        if (target == null && whyNot == null) {
            if (!Files.exists(Path.of(KvmDevice.PATH))) {
                whyNot = "/dev/kvm is missing: load kvm or run inside ci/vm-run";
            } else {
                try {
                    List<Target> ts = Targets.resolve("kernel");
                    target = ts.get(0);
                } catch (TargetException e) {
                    whyNot = e.getMessage();
                }
            }
        }
        assumeTrue(target != null, () -> "skipped: " + whyNot);
        return target;
    }

    static Edition edition() {
        return target().editions().get(0);
    }

    static KernelProfile profile() {
        return ((KernelTarget) target()).profile();
    }

    static long openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long mappings() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The mappings the adapter could leak: shared (guest_memfd views, shared buffers, kvm_run) and KVM files; the JVM's own private heap and code growth is noise.
     */
    static List<String> mapLines() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> {
                        String[] f = l.split("\\s+");
                        return f[1].contains("s") || l.contains("kvm") || l.contains("gmem");
                    })
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
