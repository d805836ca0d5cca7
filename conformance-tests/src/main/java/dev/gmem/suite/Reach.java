package dev.gmem.suite;

import dev.gmem.model.ModelEvent;
import dev.gmem.property.Statistics;
import dev.gmem.suite.clauses.Catalogue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Which clauses a run of random sequences reached, judged by the model events its steps caused
 * (each clause names its events, {@link Clause#reachedBy}), and which events it never caused: SEQ
 * says so instead of passing silently.
 */
final class Reach {
    private Reach() {
    }

    /** Two lines: the clauses reached, and the events never caused (empty when all were). */
    static List<String> lines(Statistics statistics) {
        TreeSet<String> reached = new TreeSet<>();
        List<String> never = new ArrayList<>();
        for (ModelEvent e : ModelEvent.values()) {
            if (e == ModelEvent.UNSUPPORTED) continue;
            if (statistics.get(Checker.EVENTS, e.name()) > 0) {
                for (Clause c : Catalogue.all()) if (c.reachedBy().contains(e)) reached.add(c.id());
            } else {
                never.add(e.name());
            }
        }
        List<String> out = new ArrayList<>();
        out.add("clauses reached: " + String.join(", ", reached));
        out.add("events never caused: " + (never.isEmpty() ? "none" : String.join(", ", never)));
        return out;
    }
}
