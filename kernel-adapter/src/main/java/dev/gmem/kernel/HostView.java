package dev.gmem.kernel;

import dev.gmem.api.Observation;

/**
 * What a host access (read, write, pin) goes through: a guest_memfd and one of its views, or, when
 * the handle gives none, the answer the access gets instead ({@code refusal} set, the rest null).
 */
record HostView(GmemFile file, Mapping mapping, Observation refusal) {

    static HostView of(GmemFile file, Mapping mapping) {
        return new HostView(file, mapping, null);
    }

    static HostView refused(Observation answer) {
        return new HostView(null, null, answer);
    }

    /** The view's address of {@code offset} in the file. */
    long address(long offset) {
        return mapping.address() + offset;
    }
}
