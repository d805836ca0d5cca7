package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;

import java.util.List;
import java.util.function.Predicate;

/**
 * One clause of the contract about concurrent behaviour: its id, the sentence, the editions it
 * binds, the kernel tests that race the same operations, and the operation mix that makes its race
 * likely. Its check is a race search with that mix: the clause holds when every history is
 * linearizable against the model.
 */
public record RaceClause(String id, String sentence, Predicate<Edition> binds, List<String> peerTests, Mix mix) {

    public RaceClause {
        peerTests = List.copyOf(peerTests);
    }

    public boolean bindsEdition(Edition e) {
        return binds.test(e);
    }

    /** Runs the clause's race search; a result that did not run says why in {@link RaceSearch.Result#skipped}. */
    public RaceSearch.Result check(Target target, Edition edition, RaceConfig config) {
        if (!bindsEdition(edition)) {
            return new RaceSearch.Result(id + " does not bind " + edition.name(), 0, 0, java.util.Optional.empty(),
                    java.util.Optional.empty(), 0);
        }
        return RaceSearch.search(target, edition, mix, config);
    }
}
