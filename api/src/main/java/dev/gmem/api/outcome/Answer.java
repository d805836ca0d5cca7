package dev.gmem.api.outcome;

import dev.gmem.api.Observation;

import java.util.List;

/**
 * The answers one operation of a concurrent case may give in one interleaving, as a program
 * without the model can check them: one observation, or a set the model leaves open (bytes it
 * does not promise, bytes a racing write may tear, a guest access the contract says nothing
 * about). Every open form says in {@code why} what it leaves unchecked.
 */
public sealed interface Answer {

    /** Why this answer is open, empty for an exact one. */
    String why();

    /** Exactly this observation (a successful pin as {@code Pinned(0)}: a program knows no pin number). */
    record Exactly(Observation observation) implements Answer {
        @Override
        public String why() {
            return "";
        }

        @Override
        public String toString() {
            return observation.toString();
        }
    }

    /** A read whose bytes, run by run, each hold one of the run's values (any byte where a run lists none). */
    record ReadOf(List<Choice> runs, String why) implements Answer {
        public ReadOf {
            runs = List.copyOf(runs);
        }

        public long length() {
            return runs.stream().mapToLong(Choice::length).sum();
        }
    }

    /** {@code length} bytes, each one of {@code values} (unsigned bytes), any byte when there are none. */
    record Choice(long length, List<Integer> values) {
        public Choice {
            values = List.copyOf(values);
        }
    }

    /** A guest load whose bits under {@code mask} equal {@code known}'s, any other bits. */
    record GuestValueOf(long known, long mask, String why) implements Answer {
    }

    /** Any answer: the model does not predict one this program could check. */
    record Any(String why) implements Answer {
    }
}
