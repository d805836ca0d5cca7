package dev.gmem.api.outcome;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as it starts: what it will decide and everything a report needs to say about it.
 *
 * @param runId         names this run among others (unique per start)
 * @param kitVersion    the kit's version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param kernelRelease {@code uname -r} of the machine the run is on
 * @param seed          the run's seed (every property's seed follows from it)
 * @param options       the options the run was started with (target, clause, tries, time), in words
 * @param facts         per target, what it detected (generations, capabilities, skip causes)
 * @param items         every clause × target × edition the run will decide, in order
 * @param results       the folder the run's reports go to
 */
public record RunPlan(String runId, String kitVersion, String kernelRelease, long seed, Map<String, String> options,
                      Map<String, List<String>> facts, List<PlanItem> items, Path results) {
    public RunPlan {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        facts = copy(facts);
        items = List.copyOf(items);
        results = results.toAbsolutePath().normalize();
    }

    /** Kept in the order given (reports list targets as the run met them). */
    private static Map<String, List<String>> copy(Map<String, List<String>> facts) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        facts.forEach((target, lines) -> out.put(target, List.copyOf(lines)));
        return Collections.unmodifiableMap(out);
    }
}
