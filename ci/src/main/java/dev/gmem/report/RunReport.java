package dev.gmem.report;

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
        facts = Map.copyOf(facts);
        outcomes = List.copyOf(outcomes);
    }
}
