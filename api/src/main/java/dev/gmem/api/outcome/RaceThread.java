package dev.gmem.api.outcome;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

import java.util.List;

/**
 * One thread of a failed concurrent case: its operations as the failing run resolved them (a
 * thread's own pins are numbered by the run) and what each answered in that run.
 */
public record RaceThread(Role role, List<Operation> operations, List<Observation> seen) {

    /** Host system calls, or guest accesses on the thread's own vCPU. */
    public enum Role { HOST, VCPU }

    public RaceThread {
        operations = List.copyOf(operations);
        seen = List.copyOf(seen);
        if (seen.size() != operations.size()) {
            throw new IllegalArgumentException(operations.size() + " operations but " + seen.size() + " answers");
        }
    }
}
