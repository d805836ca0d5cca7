package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.model.ModelEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One clause of CONTRACT.md as one symbol: what a target must do, where it binds, what reaches it
 * and how it is checked. Each lives in its group's file ({@code clauses/ConvClauses.java} for
 * {@code CONV-3}) beside its check methods, which are named after it.
 *
 * @param id         e.g. {@code CONV-3}
 * @param sentence   the clause in one sentence, as CONTRACT.md says it
 * @param binds      the editions it binds, by their knobs (checked there; skipped elsewhere)
 * @param optionalIn editions among those bound where the contract only recommends it
 * @param reachedBy  the model events whose occurrence in a sequence exercises it
 * @param peerTests  kernel selftest functions checking the same thing, {@code file:function}
 * @param checks     the properties that decide it
 */
public record Clause(String id, String sentence, Predicate<Edition> binds, Predicate<Edition> optionalIn,
                     Set<ModelEvent> reachedBy, List<String> peerTests, List<ClauseProperty> checks) {

    /** Whether a failure fails the run ({@code required}) or is reported as a verdict of its own ({@code optional}). */
    public enum Level {
        REQUIRED, OPTIONAL;

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    public Clause {
        reachedBy = Set.copyOf(reachedBy);
        peerTests = List.copyOf(peerTests);
        checks = List.copyOf(checks);
    }

    /** A clause binding every edition, required everywhere, with no events, peers or checks yet. */
    public static Clause of(String id, String sentence) {
        return new Clause(id, sentence, e -> true, e -> false, Set.of(), List.of(), List.of());
    }

    /** The same clause, binding only the editions {@code editions} accepts. */
    public Clause binds(Predicate<Edition> editions) {
        return new Clause(id, sentence, editions, optionalIn, reachedBy, peerTests, checks);
    }

    /** The same clause, optional in the editions {@code editions} accepts. */
    public Clause optionalIn(Predicate<Edition> editions) {
        return new Clause(id, sentence, binds, editions, reachedBy, peerTests, checks);
    }

    public Clause reachedBy(ModelEvent... events) {
        return new Clause(id, sentence, binds, optionalIn, Set.of(events), peerTests, checks);
    }

    public Clause peers(String... tests) {
        return new Clause(id, sentence, binds, optionalIn, reachedBy, List.of(tests), checks);
    }

    /** The same clause with one more check: {@code body} is a method named after the clause. */
    public Clause check(String name, ClauseProperty.Body body, Enum<?>... required) {
        return check(ClauseProperty.of(name, body).requiring(required));
    }

    public Clause check(ClauseProperty property) {
        List<ClauseProperty> more = new ArrayList<>(checks);
        more.add(property);
        return new Clause(id, sentence, binds, optionalIn, reachedBy, peerTests, more);
    }

    /** The part of the id before the dash: {@code CONV} for {@code CONV-3}. */
    public String group() {
        int dash = id.indexOf('-');
        return dash < 0 ? id : id.substring(0, dash);
    }

    public boolean bindsEdition(Edition edition) {
        return binds.test(edition);
    }

    public Level level(Edition edition) {
        return bindsEdition(edition) && optionalIn.test(edition) ? Level.OPTIONAL : Level.REQUIRED;
    }

    /** The names of the editions it binds, in the catalogue's edition order. */
    public String bindsNames() {
        return Edition.where(binds).stream().map(Edition::name).collect(Collectors.joining(", "));
    }

    /** The prefix its check methods' names start with: {@code conv3_} for {@code CONV-3}. */
    public String checkPrefix() {
        return id.toLowerCase().replace("-", "") + "_";
    }

    @Override
    public String toString() {
        return id;
    }
}
