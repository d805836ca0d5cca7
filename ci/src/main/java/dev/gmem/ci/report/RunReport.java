package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one suite run found: the input of the compliance summary, KTAP and the HTML report.
 *
 * @param kernelRelease {@code uname -r} of the machine the suite ran on
 * @param facts         per target, what it detected (generations, capabilities, skip causes)
 */
public record RunReport(String kernelRelease, long seed, Map<String, List<String>> facts, List<ClauseOutcome> outcomes) {
    public RunReport {
        // in the run's order (Map.copyOf's order changes from one JVM to the next)
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        outcomes = List.copyOf(outcomes);
    }
}
