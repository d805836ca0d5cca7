package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;

import java.util.Optional;

/** The C reproducer of a failed outcome: its shrunk sequence's, else its concurrent case's (a RACE clause). */
final class CReproducers {
    private CReproducers() {
    }

    static Optional<String> of(ClauseOutcome outcome, CReproducer.Provenance provenance) {
        if (!outcome.shrunk().isEmpty()) return CReproducer.generate(outcome, provenance);
        return ConcurrentCReproducer.generate(outcome, provenance);
    }
}
