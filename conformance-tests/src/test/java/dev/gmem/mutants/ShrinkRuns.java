package dev.gmem.mutants;

import dev.gmem.property.RunConfig;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.WatchedTarget;
import dev.gmem.suite.clauses.SeqClauses;

/**
 * SEQ against a broken variant, measured: the shrunk length, the shrinker's runs (read back from
 * the outcome's statistics lines; {@code lengthAt}: the run that reached the shrunk length) and the operations the target applied while shrinking (the
 * whole run's minus those of the same run with one shrink attempt: the search is the same).
 */
record ShrinkRuns(int original, int shrunk, long attempts, long lengthAt, long sliceKept, long operations, double seconds, String end) {

    static ShrinkRuns of(Mutant m, RunConfig config) {
        long[] all = new long[1];
        long start = System.nanoTime();
        ClauseRunner.Decision d = ClauseRunner.run(new WatchedTarget(m, () -> op -> all[0]++), SeqClauses.SEQ, m.edition(), config);
        double took = (System.nanoTime() - start) / 1e9;
        long[] search = new long[1];
        long searchStart = System.nanoTime();
        ClauseRunner.run(new WatchedTarget(m, () -> op -> search[0]++), SeqClauses.SEQ, m.edition(), config.withShrinkAttempts(1));
        double searchTook = (System.nanoTime() - searchStart) / 1e9;
        return new ShrinkRuns(d.originalLength(), d.outcome().shrunk().size(), sum(d, "shrink attempts"),
                sum(d, "shrink length reached at run"),
                count(d, "shrink edits kept", "SLICE"), all[0] - search[0],
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
}
