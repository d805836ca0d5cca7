package dev.gmem.suite;

import dev.gmem.property.Requirement;

import java.util.List;

/**
 * A property that checks one clause: {@code body} runs one test case through a {@link Checker}.
 *
 * @param clauseId    the clause it checks
 * @param name        what this property states, in a few words
 * @param required    the cases it exists for: a run where none occurred fails saying so
 * @param triesFactor a multiplier of the configured tries (long sequences take fewer)
 */
public record ClauseProperty(String clauseId, String name, Body body, List<Requirement> required, double triesFactor) {

    @FunctionalInterface
    public interface Body {
        void run(Checker k);
    }

    public ClauseProperty {
        required = List.copyOf(required);
    }

    public static ClauseProperty of(String clauseId, String name, Body body) {
        return new ClauseProperty(clauseId, name, body, List.of(), 1.0);
    }

    /** The same property, failing when the event {@code label} never occurred in a run. */
    public ClauseProperty requiring(String... events) {
        List<Requirement> r = new java.util.ArrayList<>(required);
        for (String e : events) r.add(new Requirement(Checker.EVENTS, e));
        return new ClauseProperty(clauseId, name, body, r, triesFactor);
    }

    public ClauseProperty withTriesFactor(double factor) {
        return new ClauseProperty(clauseId, name, body, required, factor);
    }
}
