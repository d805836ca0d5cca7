package dev.gmem.report;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/** One operation of a (shrunk) failing sequence: what the model allowed and what the target answered. */
public record Step(Operation operation, String expected, Observation seen, boolean diverged) {
}
