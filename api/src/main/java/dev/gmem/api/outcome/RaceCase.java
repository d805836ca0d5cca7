package dev.gmem.api.outcome;

import java.util.List;

/**
 * The shrunk concurrent case of a failed RACE clause, as a report needs it to reproduce the race:
 * the prefix, run sequentially from a fresh session, then the threads started together.
 *
 * @param prefix       the prefix's steps, each as the model allowed it ({@code seen} is what the run answered)
 * @param threads      the threads of the failing run, with their answers
 * @param answers      the rows of answers the model explains, one per interleaving of the threads'
 *                     operations and per choice the model leaves at a step, thread 0's answers first;
 *                     empty when {@code noTable} says why there is no such table (null, read from a
 *                     recording made before the rows were kept: none)
 * @param noTable      why the answers cannot be tabled (too many rows, an answer no row can state); empty when they are
 * @param reruns       how often the shrunk case was rerun
 * @param failedReruns how many of those reruns failed
 */
public record RaceCase(List<Step> prefix, List<RaceThread> threads, List<List<Answer>> answers, String noTable,
                       int reruns, int failedReruns) {

    public RaceCase {
        prefix = List.copyOf(prefix);
        threads = List.copyOf(threads);
        if (answers == null && noTable.isEmpty()) noTable = "recorded by a kit that kept no rows of answers";
        answers = answers == null ? List.of() : answers.stream().map(List::copyOf).toList();
        int steps = threads.stream().mapToInt(t -> t.operations().size()).sum();
        for (List<Answer> row : answers) {
            if (row.size() != steps) throw new IllegalArgumentException("a row of " + row.size() + " answers, not " + steps);
        }
        if (answers.isEmpty() == noTable.isEmpty()) {
            throw new IllegalArgumentException("a race case has either allowed rows or the reason it has none");
        }
    }

    /** {@code 7 of 20 reruns of the shrunk case failed}. */
    public String rate() {
        return failedReruns + " of " + reruns + " reruns of the shrunk case failed";
    }
}
