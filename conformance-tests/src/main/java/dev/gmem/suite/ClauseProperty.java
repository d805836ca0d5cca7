package dev.gmem.suite;

import dev.gmem.model.ModelEvent;
import dev.gmem.property.Requirement;

import java.util.ArrayList;
import java.util.List;

/**
 * A property that checks one clause: {@code body} runs one test case through a {@link Checker}.
 *
 * @param name        what this property states, in a few words
 * @param required    the cases it exists for: a run where none occurred fails saying so
 * @param triesFactor a multiplier of the configured tries (long sequences take fewer)
 * @param guided      whether the run feeds back the model events a test case reached (SEQ)
 */
public record ClauseProperty(String name, Body body, List<Requirement> required, double triesFactor, boolean guided) {

    @FunctionalInterface
    public interface Body {
        void run(Checker k);
    }

    public ClauseProperty {
        required = List.copyOf(required);
    }

    public static ClauseProperty of(String name, Body body) {
        return new ClauseProperty(name, body, List.of(), 1.0, false);
    }

    /**
     * The same property, failing when one of {@code cases} never occurred in a run: a model event
     * ({@link ModelEvent}) or a named case the body drew or noted ({@link Checker#draw}, {@link Checker#reached}).
     */
    public ClauseProperty requiring(Enum<?>... cases) {
        List<Requirement> r = new ArrayList<>(required);
        for (Enum<?> c : cases) r.add(Checker.requirement(c));
        return new ClauseProperty(name, body, r, triesFactor, guided);
    }

    public ClauseProperty withTriesFactor(double factor) {
        return new ClauseProperty(name, body, required, factor, guided);
    }

    /** The same property with coverage feedback over the model events its test cases reach. */
    public ClauseProperty guidedByModelEvents() {
        return new ClauseProperty(name, body, required, triesFactor, true);
    }
}
