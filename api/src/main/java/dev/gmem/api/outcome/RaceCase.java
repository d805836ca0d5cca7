package dev.gmem.api.outcome;

import dev.gmem.api.Observation;

import java.util.List;

/**
 * The shrunk concurrent case of a failed RACE clause, as a report needs it to reproduce the race:
 * the prefix, run sequentially from a fresh session, then the threads started together.
 *
 * @param prefix       the prefix's steps, each as the model allowed it ({@code seen} is what the run answered)
 * @param threads      the threads of the failing run, with their answers
 * @param allowed      the rows of answers the model explains, one per interleaving of the threads'
 *                     operations, thread 0's answers first (a successful pin as {@code Pinned(0)});
 *                     empty when {@code noTable} says why there is no such table
 * @param noTable      why the answers cannot be tabled (the model leaves a choice at some step); empty when they are
 * @param reruns       how often the shrunk case was rerun
 * @param failedReruns how many of those reruns failed
 */
public record RaceCase(List<Step> prefix, List<RaceThread> threads, List<List<Observation>> allowed, String noTable,
                       int reruns, int failedReruns) {

    public RaceCase {
        prefix = List.copyOf(prefix);
        threads = List.copyOf(threads);
        allowed = allowed.stream().map(List::copyOf).toList();
        int answers = threads.stream().mapToInt(t -> t.operations().size()).sum();
        for (List<Observation> row : allowed) {
            if (row.size() != answers) throw new IllegalArgumentException("an allowed row of " + row.size() + " answers, not " + answers);
        }
        if (allowed.isEmpty() == noTable.isEmpty()) {
            throw new IllegalArgumentException("a race case has either allowed rows or the reason it has none");
        }
    }

    /** {@code 7 of 20 reruns of the shrunk case failed}. */
    public String rate() {
        return failedReruns + " of " + reruns + " reruns of the shrunk case failed";
    }
}
