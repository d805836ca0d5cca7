package dev.gmem.race;

import dev.gmem.api.Operation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A history as text: the prefix, then one column per thread with time going down. A call shows
 * where it was invoked ({@code ┌}) and where it completed ({@code └}, with its answer); {@code │}
 * marks a call in flight; the left column is microseconds since the first invocation. Calls of the
 * sub-history the checker could not linearize are marked {@code *}.
 */
public final class HistoryPicture {
    private static final int COLUMN = 34;

    private HistoryPicture() {
    }

    public static String render(History h, Verdict v) {
        StringBuilder b = new StringBuilder();
        b.append("prefix (sequential):\n");
        for (Operation o : h.prefix()) b.append("    ").append(Notation.of(o)).append('\n');
        List<Call> calls = h.calls();
        Set<Call> marked = new HashSet<>(v == null ? List.of() : v.part());
        record Event(long time, boolean completion, Call call) {
        }
        List<Event> events = new ArrayList<>();
        for (Call c : calls) {
            events.add(new Event(c.invoked(), false, c));
            events.add(new Event(c.completed(), true, c));
        }
        events.sort(Comparator.comparingLong(Event::time).thenComparing(Event::completion));
        long t0 = events.isEmpty() ? 0 : events.get(0).time();
        b.append(String.format("%10s ", "µs"));
        for (int t = 0; t < h.threads(); t++) {
            b.append(cell("thread " + t + " (" + h.roles().get(t).name().toLowerCase() + ")"));
        }
        b.append('\n');
        boolean[] busy = new boolean[h.threads()];
        for (Event e : events) {
            b.append(String.format("%10.1f ", (e.time() - t0) / 1000.0));
            int thread = e.call().thread();
            for (int t = 0; t < h.threads(); t++) {
                if (t != thread) {
                    b.append(cell(busy[t] ? "│" : ""));
                    continue;
                }
                String mark = marked.contains(e.call()) ? "*" : "";
                if (e.completion()) {
                    b.append(cell("└ " + Notation.of(e.call().observation()) + mark));
                    busy[t] = false;
                } else {
                    b.append(cell("┌ " + Notation.of(e.call().operation()) + mark));
                    busy[t] = true;
                }
            }
            b.setLength(trimEnd(b));
            b.append('\n');
        }
        if (v != null && !v.linearizable()) {
            b.append(v.outcome() == Verdict.Outcome.UNDECIDED ? "undecided after " + v.steps() + " search steps\n"
                    : "no order of the * calls explains every answer; the longest that does:\n");
            int n = 1;
            for (Call c : v.longest()) {
                b.append(String.format("  %2d. thread %d: %s → %s%n", n++, c.thread(), Notation.of(c.operation()),
                        Notation.of(c.observation())));
            }
            for (String s : v.stuck()) b.append("  then ").append(s).append('\n');
        }
        return b.toString();
    }

    private static String cell(String text) {
        String t = text.length() > COLUMN - 1 ? text.substring(0, COLUMN - 2) + "…" : text;
        return t + " ".repeat(COLUMN - t.length());
    }

    private static int trimEnd(StringBuilder b) {
        int n = b.length();
        while (n > 0 && b.charAt(n - 1) == ' ') n--;
        return n;
    }
}
