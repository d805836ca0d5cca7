package dev.gmem.race;

import dev.gmem.api.Operation;
import dev.gmem.model.ModelState;

import java.util.List;

/**
 * What one run of a {@link ConcurrentCase} did: the sequential prefix (every answer already
 * checked against the model), the model's state after it, and the calls of the threads that then
 * ran at once.
 */
public record History(List<Operation> prefix, ModelState start, List<ThreadScript.Role> roles, List<Call> calls) {

    public History {
        prefix = List.copyOf(prefix);
        roles = List.copyOf(roles);
        calls = List.copyOf(calls);
    }

    public int threads() {
        return roles.size();
    }
}
