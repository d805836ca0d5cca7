package dev.gmem.property;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts per category (operations by kind, observations by kind, events reached) over a run.
 * Counting is on the hot path of every test case: cells are hashed, and sorted only when read.
 */
public final class Statistics {
    private final Map<String, Map<String, long[]>> counts = new HashMap<>();
    /** Time spent, by what (kept apart from the counts: reports of one seed stay the same from run to run). */
    private final Map<String, long[]> nanos = new HashMap<>();

    public void addNanos(String what, long n) {
        long[] cell = nanos.get(what);
        if (cell == null) nanos.put(what, new long[] {n});
        else cell[0] += n;
    }

    public long nanos(String what) {
        long[] cell = nanos.get(what);
        return cell == null ? 0 : cell[0];
    }

    public void count(String category, String label) {
        add(category, label, 1);
    }

    public void add(String category, String label, long n) {
        Map<String, long[]> labels = counts.get(category);
        if (labels == null) counts.put(category, labels = new HashMap<>());
        long[] cell = labels.get(label);
        if (cell == null) labels.put(label, new long[] {n});
        else cell[0] += n;
    }

    public void addAll(Statistics other) {
        for (Map.Entry<String, Map<String, long[]>> c : other.counts.entrySet()) {
            Map<String, long[]> labels = counts.get(c.getKey());
            if (labels == null) counts.put(c.getKey(), labels = new HashMap<>());
            for (Map.Entry<String, long[]> l : c.getValue().entrySet()) {
                long[] cell = labels.get(l.getKey());
                if (cell == null) labels.put(l.getKey(), new long[] {l.getValue()[0]});
                else cell[0] += l.getValue()[0];
            }
        }
        for (Map.Entry<String, long[]> n : other.nanos.entrySet()) addNanos(n.getKey(), n.getValue()[0]);
    }

    /** The labels entered in {@code category}, in no order (a view: read it, do not keep it). */
    public Set<String> labels(String category) {
        Map<String, long[]> labels = counts.get(category);
        return labels == null ? Set.of() : Collections.unmodifiableSet(labels.keySet());
    }

    public long get(String category, String label) {
        Map<String, long[]> labels = counts.get(category);
        long[] cell = labels == null ? null : labels.get(label);
        return cell == null ? 0 : cell[0];
    }

    /** The labels of {@code category} entered but never counted (a case offered and never reached), sorted. */
    public List<String> zeros(String category) {
        List<String> out = new ArrayList<>();
        counts.getOrDefault(category, Map.of()).forEach((label, n) -> {
            if (n[0] == 0) out.add(label);
        });
        out.sort(null);
        return out;
    }

    /** A sorted copy: category, then label, to its count. */
    public Map<String, Map<String, Long>> asMap() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((category, labels) -> {
            Map<String, Long> sorted = new TreeMap<>();
            labels.forEach((label, n) -> sorted.put(label, n[0]));
            out.put(category, sorted);
        });
        return out;
    }

    /** One line per category, e.g. {@code operations: CONVERT=12, PIN=3}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        asMap().forEach((category, labels) -> {
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
