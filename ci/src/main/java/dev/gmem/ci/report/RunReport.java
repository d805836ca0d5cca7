package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.RunEnd;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one suite run found: the input of the compliance summaries, KTAP and the HTML report.
 *
 * @param kernelRelease {@code uname -r} of the machine the suite ran on
 * @param facts         per target, what it detected (generations, capabilities, skip causes)
 * @param end           how the run ended: complete, or interrupted after N of M
 */
public record RunReport(String kernelRelease, long seed, Map<String, List<String>> facts, List<ClauseOutcome> outcomes,
                        String kitVersion, RunEnd end) {
    public RunReport {
        // in the run's order (Map.copyOf's order changes from one JVM to the next)
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        outcomes = List.copyOf(outcomes);
    }

    /** A complete run of an unknown kit version. */
    public RunReport(String kernelRelease, long seed, Map<String, List<String>> facts, List<ClauseOutcome> outcomes) {
        this(kernelRelease, seed, facts, outcomes, "unknown", new RunEnd("", true, outcomes.size(), outcomes.size()));
    }

    /** "complete", or "INTERRUPTED after N of M". */
    String completion() {
        return end.completed() ? "complete" : "INTERRUPTED after " + end.decided() + " of " + end.planned(); // the run object's words (issue 15)
    }
}
