package dev.gmem.suite;

import dev.gmem.api.Edition;
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
public final class Reach {
    private Reach() {
    }

    /** The line that gives a run's coverage of the model's transitions: {@code model transitions: 27/29 ...}. */
    public static final String TRANSITIONS = dev.gmem.api.outcome.ClauseOutcome.TRANSITIONS;

    /**
     * Three lines: the clauses reached, the events never caused, and the edition's model
     * transitions reached out of those it can take ({@link ModelEvent#possibleIn}).
     */
    static List<String> lines(Statistics statistics, Edition edition) {
        TreeSet<String> reached = new TreeSet<>();
        List<String> never = new ArrayList<>();
        for (ModelEvent e : ModelEvent.possibleIn(edition)) {
            if (statistics.get(Checker.EVENTS, e.name()) > 0) {
                for (Clause c : Catalogue.all()) if (c.reachedBy().contains(e)) reached.add(c.id());
            } else {
                never.add(e.name());
            }
        }
        List<String> out = new ArrayList<>();
        out.add("clauses reached: " + String.join(", ", reached));
        out.add("events never caused: " + (never.isEmpty() ? "none" : String.join(", ", never)));
        int total = ModelEvent.possibleIn(edition).size();
        out.add(TRANSITIONS + (total - never.size()) + "/" + total + " reached in " + edition.name()
                + (never.isEmpty() ? "" : " (never: " + String.join(", ", never) + ")"));
        return out;
    }
}
