package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.Observation;

/** Observations in words for failure messages, e.g. {@code Refused[EAGAIN, errorOffset=0x2000]}. */
final class Describe {
    /** Runs shown before a long read is cut short. */
    private static final int MAX_RUNS = 16;

    private Describe() {
    }

    static String of(Observation o) {
        if (o instanceof Observation.Refused r) {
            return "Refused[" + r.errno() + ", errorOffset=0x" + Long.toHexString(r.errorOffset()) + "]";
        }
        if (o instanceof Observation.Failed f) return "Failed[" + f.errno() + "]";
        if (o instanceof Observation.HostFault h) return "HostFault[offset=0x" + Long.toHexString(h.offset()) + "]";
        if (o instanceof Observation.Read r) return "Read of " + r.bytes().length() + " bytes " + runs(r.bytes());
        return o.toString();
    }

    private static String runs(Bytes bytes) {
        if (bytes.runs().size() <= MAX_RUNS) return bytes.toString();
        return bytes.runs().subList(0, MAX_RUNS) + " and " + (bytes.runs().size() - MAX_RUNS) + " more runs";
    }
}
