package dev.gmem.mutants;

import dev.gmem.property.RunConfig;

import java.util.Locale;

/**
 * SEQ's failure on every broken target shrunk twice in one run, model-guided and by the generic
 * passes alone: the operations left, the shrinker's runs (all, and the one that reached the shrunk length), the operations the target applied while
 * shrinking (what a slow target such as a kernel under emulation pays for) and the seconds on the
 * model. {@code java -cp ... dev.gmem.mutants.ShrinkBench}, part of {@code ./gmem-conformance --bench}.
 */
public final class ShrinkBench {
    private ShrinkBench() {
    }

    public static void main(String[] args) {
        print(MutantsAreCaughtTest.CONFIG);
    }

    public static void print(RunConfig config) {
        System.out.printf(Locale.ROOT, "shrinking SEQ's failure on each broken target (seed %d, default shrink time %ds): guided / generic passes only%n",
                config.seed(), config.shrinkTime().toSeconds());
        System.out.printf(Locale.ROOT, "%-26s %8s %9s %15s %15s %21s %15s%n", "broken target", "found", "shrunk", "shrink runs",
                "length at run", "operations applied", "seconds");
        for (Mutant m : Mutants.all()) {
            ShrinkRuns g = ShrinkRuns.of(m, config);
            ShrinkRuns p = ShrinkRuns.of(m, config.withGuidedShrinking(false));
            System.out.printf(Locale.ROOT, "%-26s %8d %4d / %-4d %7d / %-7d %7d / %-7d %10d / %-10d %6.2f / %-6.2f%n", m.id(),
                    g.original(), g.shrunk(), p.shrunk(), g.attempts(), p.attempts(), g.lengthAt(), p.lengthAt(), g.operations(),
                    p.operations(), g.seconds(), p.seconds());
        }
    }
}
