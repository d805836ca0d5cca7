package dev.gmem.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts per category (operations by kind, observations by kind, events reached) over a run. */
public final class Statistics {
    private final Map<String, Map<String, Long>> counts = new TreeMap<>();

    public void count(String category, String label) {
        add(category, label, 1);
    }

    public void add(String category, String label, long n) {
        counts.computeIfAbsent(category, k -> new TreeMap<>()).merge(label, n, Long::sum);
    }

    public void addAll(Statistics other) {
        other.counts.forEach((category, labels) -> labels.forEach((label, n) -> add(category, label, n)));
    }

    public long get(String category, String label) {
        return counts.getOrDefault(category, Map.of()).getOrDefault(label, 0L);
    }

    /** The labels of {@code category} entered but never counted (a case offered and never reached). */
    public List<String> zeros(String category) {
        List<String> out = new ArrayList<>();
        counts.getOrDefault(category, Map.of()).forEach((label, n) -> {
            if (n == 0) out.add(label);
        });
        return out;
    }

    public Map<String, Map<String, Long>> asMap() {
        return counts;
    }

    /** One line per category, e.g. {@code operations: CONVERT=12, PIN=3}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        counts.forEach((category, labels) -> {
            StringBuilder b = new StringBuilder(category).append(": ");
            String sep = "";
            for (Map.Entry<String, Long> e : labels.entrySet()) {
                b.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = ", ";
            }
            out.add(b.toString());
        });
        return out;
    }
}
