package dev.gmem.race;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

import java.util.List;

/**
 * One step of a thread's script. Handles a thread gets at run time depend on the interleaving
 * (the n-th successful pin of the session is pin n), so a step may name "my own k-th pin" and is
 * resolved to an {@link Operation} just before it runs.
 */
public sealed interface Step {

    /** The pin handle no session hands out: unpinning it is EBADF everywhere. */
    int NO_PIN = Integer.MAX_VALUE;

    /** The operation to run, given what this thread's earlier steps answered. */
    Operation resolve(List<Observation> earlier);

    /** A fixed operation. */
    record Fixed(Operation operation) implements Step {
        public Operation resolve(List<Observation> earlier) {
            return operation;
        }

        @Override
        public String toString() {
            return Notation.of(operation);
        }
    }

    /** Unpins the {@code nth} pin this thread took (counting successful pins); none taken: {@link #NO_PIN}. */
    record UnpinOwn(int nth) implements Step {
        public Operation resolve(List<Observation> earlier) {
            int seen = 0;
            for (Observation o : earlier) {
                if (o instanceof Observation.Pinned p && seen++ == nth) return new Operation.Unpin(p.pin());
            }
            return new Operation.Unpin(NO_PIN);
        }

        @Override
        public String toString() {
            return "unpin own pin #" + nth;
        }
    }
}
