package dev.gmem.race;

import java.util.List;

/**
 * What the linearizability checker decided about a history.
 *
 * @param part    the sub-history that is not linearizable (empty when the history is)
 * @param longest the longest order of its calls the model explains
 * @param stuck   for each call that could go after {@code longest}, what it answered and what the model allows there
 * @param steps   search steps taken
 */
public record Verdict(Outcome outcome, List<Call> part, List<Call> longest, List<String> stuck, long steps) {

    public enum Outcome { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

    public Verdict {
        part = List.copyOf(part);
        longest = List.copyOf(longest);
        stuck = List.copyOf(stuck);
    }

    public boolean linearizable() {
        return outcome == Outcome.LINEARIZABLE;
    }

    Verdict withSteps(long total) {
        return new Verdict(outcome, part, longest, stuck, total);
    }
}
