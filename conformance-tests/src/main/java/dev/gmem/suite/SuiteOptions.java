package dev.gmem.suite;

import dev.gmem.property.RunConfig;
import dev.gmem.suite.clauses.Catalogue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a run is started with, read from the system properties and validated in full before
 * anything runs (the launcher's preflight and the suite read it the same way): a bad value is one
 * {@link IllegalArgumentException} whose message is the line to print.
 *
 * @param deadline      the whole run's time limit ({@code --deadline}); what it leaves undecided is interrupted
 * @param kernelNotTested why the default target is not the kernel, when the launcher fell back to the model
 */
public record SuiteOptions(String targetSpec, String clauseSelector, List<Clause> clauses, RunConfig config,
                           Optional<Duration> deadline, Optional<String> kernelNotTested) {
    public static final String TARGET = "gmem.target";
    public static final String CLAUSE = "gmem.clause";
    public static final String DEADLINE = "gmem.deadline";
    public static final String KERNEL_NOT_TESTED = "gmem.kernelNotTested";
    /**
     * Outcome listeners not to load, by simple class name, comma-separated: {@code ci/vm-run} leaves
     * out the reports the host rebuilds from {@code outcomes.jsonl} and {@code run.json} afterwards.
     */
    public static final String SKIP_LISTENERS = "gmem.skipListeners";
    /** Milliseconds properties of the kernel adapter, checked here so a bad one is a usage error too. */
    static final List<String> MILLISECONDS = List.of("gmem.kernel.guestTimeoutMs", "gmem.kernel.syscallTimeoutMs");
    /** The longest whole-run deadline. */
    public static final Duration MAX_DEADLINE = Duration.ofDays(7);

    public SuiteOptions {
        clauses = List.copyOf(clauses);
    }

    /** The simple class names {@link #SKIP_LISTENERS} names. */
    public static java.util.Set<String> skippedListeners() {
        return java.util.Arrays.stream(System.getProperty(SKIP_LISTENERS, "").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public static SuiteOptions fromSystem() {
        String spec = System.getProperty(TARGET, "").trim();
        if (spec.isEmpty()) spec = "model";
        String selector = System.getProperty(CLAUSE, "").trim();
        List<Clause> clauses = Catalogue.select(selector);
        if (clauses.isEmpty()) {
            throw new IllegalArgumentException("unknown clause '" + selector + "' (--clause, -D" + CLAUSE + "): use an id such as"
                    + " CONV-3 or a group such as " + String.join(", ", Catalogue.all().stream().map(Clause::group).distinct().toList()));
        }
        RunConfig config = RunConfig.fromSystem();
        Optional<Duration> deadline = Optional.ofNullable(System.getProperty(DEADLINE)).filter(s -> !s.isBlank())
                .map(s -> RunConfig.parseDuration(s, "deadline (--deadline, -D" + DEADLINE + ")", MAX_DEADLINE));
        for (String name : MILLISECONDS) {
            String text = System.getProperty(name);
            if (text == null || text.isBlank()) continue;
            try {
                long ms = Long.parseLong(text.trim());
                if (ms >= 1 && ms <= 3_600_000) continue;
            } catch (NumberFormatException e) {
                // the line below
            }
            throw new IllegalArgumentException("bad -D" + name + " '" + text + "': expected milliseconds from 1 to 3600000");
        }
        Optional<String> notTested = Optional.ofNullable(System.getProperty(KERNEL_NOT_TESTED)).filter(s -> !s.isBlank());
        return new SuiteOptions(spec, selector, clauses, config, deadline, notTested);
    }
}
