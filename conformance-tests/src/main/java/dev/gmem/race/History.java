package dev.gmem.race;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.ModelState;

import java.util.List;

/**
 * What one run of a {@link ConcurrentCase} did: the sequential prefix and its answers (every one
 * already checked against the model), the model's state after it, and the calls of the threads
 * that then ran at once.
 */
public record History(List<Operation> prefix, List<Observation> prefixAnswers, ModelState start, List<ThreadScript.Role> roles,
                      List<Call> calls) {

    public History {
        prefix = List.copyOf(prefix);
        prefixAnswers = List.copyOf(prefixAnswers);
        roles = List.copyOf(roles);
        calls = List.copyOf(calls);
    }

    public int threads() {
        return roles.size();
    }
}
