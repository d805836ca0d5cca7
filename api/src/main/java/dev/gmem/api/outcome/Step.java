package dev.gmem.api.outcome;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/**
 * One operation of a (shrunk) failing sequence.
 *
 * @param expected the observation the model answers (one of the allowed set; a C reproducer checks it)
 * @param allowed  the whole allowed set in words, as the model describes it
 * @param seen     what the target answered
 * @param diverged whether {@code seen} is outside the allowed set (the failing step)
 */
public record Step(Operation operation, Observation expected, String allowed, Observation seen, boolean diverged) {
}
