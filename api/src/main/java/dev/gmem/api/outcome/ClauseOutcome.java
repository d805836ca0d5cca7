package dev.gmem.api.outcome;

import java.util.List;

/**
 * One clause on one target and edition: the unit every report is made of.
 *
 * @param clauseId   e.g. {@code CONV-3}
 * @param group      e.g. {@code CONV}
 * @param sentence   the clause's sentence from the catalogue
 * @param peerTests  kernel selftest functions that check the same thing (file:function)
 * @param reason     why it was skipped, or the failure message; empty when passed
 * @param seed       the seed of the run that decided it
 * @param replay     the one-line command that replays it
 * @param shrunk     the shortest failing sequence; empty unless failed
 * @param statistics run statistics in words (operations, observations, events reached)
 * @param race       the shrunk concurrent case of a failed RACE clause; null otherwise
 */
public record ClauseOutcome(
        String clauseId,
        String group,
        String sentence,
        List<String> peerTests,
        String target,
        String edition,
        Status status,
        String reason,
        long seed,
        String replay,
        List<Step> shrunk,
        List<String> statistics,
        RaceCase race) {

    /** The statistics line giving a sequence run's coverage of the model's transitions, e.g. {@code model transitions: 29/29 ...}. */
    public static final String TRANSITIONS = "model transitions: ";

    /** An outcome without a concurrent case. */
    public ClauseOutcome(String clauseId, String group, String sentence, List<String> peerTests, String target, String edition,
                         Status status, String reason, long seed, String replay, List<Step> shrunk, List<String> statistics) {
        this(clauseId, group, sentence, peerTests, target, edition, status, reason, seed, replay, shrunk, statistics, null);
    }

    public ClauseOutcome {
        peerTests = List.copyOf(peerTests);
        shrunk = List.copyOf(shrunk);
        statistics = List.copyOf(statistics);
    }

    /** The shrunk concurrent case, for a failed RACE clause whose failing run left a history. */
    public java.util.Optional<RaceCase> raceCase() {
        return java.util.Optional.ofNullable(race);
    }

    /** {@code 29/29 reached in pending}: the model-transition coverage SEQ reports, when this outcome has it. */
    public java.util.Optional<String> transitionCoverage() {
        return statistics.stream().filter(l -> l.startsWith(TRANSITIONS)).map(l -> l.substring(TRANSITIONS.length())).findFirst();
    }
}
