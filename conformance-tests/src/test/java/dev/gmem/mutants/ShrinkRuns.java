package dev.gmem.mutants;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.clauses.SeqClauses;

/**
 * SEQ against a broken variant, measured: the shrunk length, the shrinker's runs (read back from
 * the outcome's statistics lines) and the operations the target applied while shrinking (the
 * whole run's minus those of the same run with one shrink attempt: the search is the same).
 */
record ShrinkRuns(int original, int shrunk, long attempts, long sliceKept, long operations, double seconds, String end) {

    static ShrinkRuns of(Mutant m, RunConfig config) {
        Counting counted = new Counting(m);
        long start = System.nanoTime();
        ClauseRunner.Decision d = ClauseRunner.run(counted, SeqClauses.SEQ, m.edition(), config);
        double took = (System.nanoTime() - start) / 1e9;
        Counting search = new Counting(m);
        long searchStart = System.nanoTime();
        ClauseRunner.run(search, SeqClauses.SEQ, m.edition(), config.withShrinkAttempts(1));
        double searchTook = (System.nanoTime() - searchStart) / 1e9;
        return new ShrinkRuns(d.originalLength(), d.outcome().shrunk().size(), sum(d, "shrink attempts"),
                count(d, "shrink edits kept", "SLICE"), counted.operations - search.operations,
                Math.max(0, took - searchTook), label(d, "shrink end"));
    }

    private static long sum(ClauseRunner.Decision d, String category) {
        long n = 0;
        for (String line : d.outcome().statistics()) {
            if (!line.startsWith(category + ": ")) continue;
            for (String cell : line.substring(category.length() + 2).split(", ")) n += Long.parseLong(cell.substring(cell.indexOf('=') + 1));
        }
        return n;
    }

    private static long count(ClauseRunner.Decision d, String category, String label) {
        for (String line : d.outcome().statistics()) {
            if (!line.startsWith(category + ": ")) continue;
            for (String cell : line.substring(category.length() + 2).split(", ")) {
                if (cell.startsWith(label + "=")) return Long.parseLong(cell.substring(label.length() + 1));
            }
        }
        return 0;
    }

    private static String label(ClauseRunner.Decision d, String category) {
        for (String line : d.outcome().statistics()) {
            if (line.startsWith(category + ": ")) return line.substring(category.length() + 2).replaceAll("=\\d+", "");
        }
        return "";
    }

    /** The mutant, counting the operations its sessions apply. */
    private static final class Counting implements Target {
        private final Mutant inner;
        long operations;

        Counting(Mutant inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public java.util.List<Edition> editions() {
            return inner.editions();
        }

        @Override
        public dev.gmem.api.Capabilities capabilities(Edition e) {
            return inner.capabilities(e);
        }

        @Override
        public Session open(Edition e) {
            Session s = inner.open(e);
            return new Session() {
                @Override
                public Observation apply(Operation op) {
                    operations++;
                    return s.apply(op);
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }
    }
}
