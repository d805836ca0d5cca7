package dev.gmem.race;

import java.util.List;

/** What one thread of a concurrent case runs: host system calls, or guest accesses on its own vCPU. */
public record ThreadScript(Role role, List<Step> steps) {

    public enum Role { HOST, VCPU }

    public ThreadScript {
        steps = List.copyOf(steps);
    }
}
