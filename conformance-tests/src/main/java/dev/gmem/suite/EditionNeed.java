package dev.gmem.suite;

import dev.gmem.api.Edition;

import java.util.function.Predicate;

/**
 * Where a clause binds, with what the editions it binds have in words, so that a clause skipped on
 * a target says what the target lacks rather than only which editions it speaks.
 */
public record EditionNeed(String what, Predicate<Edition> holds) implements Predicate<Edition> {
    @Override
    public boolean test(Edition edition) {
        return holds.test(edition);
    }
}
