package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.api.outcome.KernelRelease;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A run's first lines: what is checked (target, kernel release, editions and the facts that decided them), or that the kernel is not. */
final class RunHeader {
    static final String PREFIX = "gmem-conformance: ";

    private RunHeader() {
    }

    static List<String> lines(SuiteOptions options, List<Target> targets) {
        List<String> out = new ArrayList<>();
        options.kernelNotTested().ifPresent(why -> out.add(PREFIX + "kernel not tested: " + why));
        String editions = targets.stream().flatMap(t -> t.editions().stream()).map(Edition::name).distinct()
                .collect(Collectors.joining(", "));
        out.add(PREFIX + "target " + options.targetSpec() + " (" + editions + "), kernel release " + KernelRelease.current()
                + ", seed " + options.config().seed() + ", tries " + options.config().tries() + ", time "
                + options.config().timeBudget().toMillis() + " ms per property"
                + options.deadline().map(d -> ", deadline " + d.toSeconds() + " s").orElse(""));
        for (Target t : targets) {
            String facts = t.facts().entrySet().stream().filter(e -> !e.getKey().equals("target"))
                    .map(RunHeader::fact).collect(Collectors.joining("; "));
            out.add(PREFIX + "  " + t.name() + ": editions " + t.editions().stream().map(Edition::name)
                    .collect(Collectors.joining(", ")) + (facts.isEmpty() ? "" : " — " + facts));
        }
        return out;
    }

    private static String fact(Map.Entry<String, String> e) {
        return e.getKey() + " " + e.getValue();
    }
}
