package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;

import java.util.List;

/** Prints what the running kernel offers: {@code java -cp ... dev.gmem.kernel.KernelInfo [edition]}. */
public final class KernelInfo {
    private KernelInfo() {
    }

    public static void main(String[] args) {
        try {
            List<Target> targets = new KernelTargetProvider().create(args.length > 0 ? args[0] : "");
            for (Target t : targets) {
                System.out.println("target " + t.name());
                t.facts().forEach((k, v) -> System.out.println("  " + k + ": " + v));
                for (Edition e : t.editions()) {
                    System.out.println("  edition " + e.name() + ":");
                    var c = t.capabilities(e);
                    c.unsupported().forEach((k, v) -> System.out.println("    skipped " + k + ": " + v));
                }
            }
        } catch (TargetException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
