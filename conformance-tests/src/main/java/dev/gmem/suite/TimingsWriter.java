package dev.gmem.suite;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code timings.json} into the results folder: the JVM's start and the test discovery
 * (the JVM's uptime when the run started), the run, and each clause × target × edition split
 * into generation, target, model check and shrinking (milliseconds), the time each outcome listener
 * (each report) took so far, with the five slowest items
 * as lines the launcher's summary prints. Rewritten after every item, so a killed run keeps what
 * it measured.
 */
public final class TimingsWriter implements OutcomeListener {
    /** How many of the slowest items the summary lists. */
    static final int TOP = 5;

    private Path file;
    private long startUptime;
    private long startNanos;
    private final List<ItemTiming> items = new ArrayList<>();
    /** Each item's JSON line, made once: the file is rewritten after every item (under emulation formatting is slow). */
    private final List<String> itemLines = new ArrayList<>();

    @Override
    public synchronized void runStarted(RunPlan plan) {
        file = plan.results().resolve("timings.json");
        startUptime = ManagementFactory.getRuntimeMXBean().getUptime();
        startNanos = System.nanoTime();
        items.clear();
        itemLines.clear();
        write(false);
    }

    @Override
    public synchronized void itemDecided(ClauseOutcome outcome) {
        Timings.take(outcome.clauseId(), outcome.target(), outcome.edition()).ifPresent(t -> {
            items.add(t);
            itemLines.add(String.format(Locale.ROOT,
                    "    {\"clause\": \"%s\", \"target\": \"%s\", \"edition\": \"%s\", \"totalMs\": %d, \"generationMs\": %d, "
                            + "\"targetMs\": %d, \"modelCheckMs\": %d, \"shrinkingMs\": %d}",
                    t.clauseId(), escape(t.target()), t.edition(), ms(t.total()), ms(t.generation()), ms(t.targetNanos()),
                    ms(t.modelCheck()), ms(t.shrinking())));
        });
        write(false);
    }

    @Override
    public synchronized void runFinished(RunEnd end) {
        write(end.completed());
    }

    /** The slowest items, one line each: {@code SEQ model:inplace 812 ms (generation 300, target 200, model check 250, shrinking 0)}. */
    static List<String> slowest(List<ItemTiming> items, int n) {
        return items.stream().sorted(Comparator.comparingLong(ItemTiming::total).reversed()).limit(n)
                .map(t -> String.format(Locale.ROOT, "%s %s %s: %d ms (generation %d, target %d, model check %d, shrinking %d)",
                        t.clauseId(), t.target(), t.edition(), ms(t.total()), ms(t.generation()), ms(t.targetNanos()),
                        ms(t.modelCheck()), ms(t.shrinking())))
                .toList();
    }

    private void write(boolean completed) {
        if (file == null) return;
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"jvmStartAndDiscoveryMs\": ").append(startUptime).append(",\n");
        b.append("  \"runMs\": ").append(ms(System.nanoTime() - startNanos)).append(",\n");
        b.append("  \"completed\": ").append(completed).append(",\n");
        // the reports the run writes as it goes (this file's own writing included, up to the last call)
        b.append("  \"listenersMs\": {");
        String lsep = "";
        for (Map.Entry<String, Long> e : Timings.listenerNanos().entrySet()) {
            b.append(lsep).append('"').append(escape(e.getKey())).append("\": ").append(ms(e.getValue()));
            lsep = ", ";
        }
        b.append("},\n");
        b.append("  \"items\": [");
        String sep = "\n";
        for (String line : itemLines) {
            b.append(sep).append(line);
            sep = ",\n";
        }
        b.append(items.isEmpty() ? "],\n" : "\n  ],\n");
        b.append("  \"slowest\": [");
        sep = "\n";
        for (String line : slowest(items, TOP)) {
            b.append(sep).append("    \"").append(escape(line)).append('"');
            sep = ",\n";
        }
        b.append(items.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, b);
        } catch (IOException e) {
            System.err.println("gmem-conformance: cannot write " + file + ": " + e.getMessage());
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
