package dev.gmem.race;

import dev.gmem.api.OperationKind;

import java.util.EnumSet;
import java.util.Set;

import static dev.gmem.api.OperationKind.*;

/**
 * Which operations the threads of a concurrent case run: host threads' kinds and vCPU threads'
 * kinds (none: no vCPU threads). A RACE clause picks the mix that makes its race likely.
 */
public record Mix(String name, Set<OperationKind> host, Set<OperationKind> guest) {

    public Mix {
        host = host.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(host));
        guest = guest.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(guest));
    }

    /** Every host and guest operation a concurrent case uses. */
    public static final Mix ALL = new Mix("all", Set.of(CONVERT, PIN, UNPIN, PUNCH_HOLE, ALLOCATE, HOST_READ, HOST_WRITE, MMAP),
            Set.of(GUEST_READ, GUEST_WRITE, GUEST_REQUEST_CONVERSION));
    /** Host operations only (targets without vCPUs). */
    public static final Mix HOST = new Mix("host", ALL.host, Set.of());
    public static final Mix CONVERT_PIN = new Mix("convert-pin", Set.of(CONVERT, PIN, UNPIN, HOST_READ), Set.of());
    public static final Mix PUNCH_ACCESS = new Mix("punch-access", Set.of(PUNCH_HOLE, HOST_READ, HOST_WRITE), Set.of());
    public static final Mix PIN_COUNT = new Mix("pin-count", Set.of(PIN, UNPIN, CONVERT), Set.of());
    public static final Mix GUEST_CONVERSION = new Mix("guest-conversion", Set.of(CONVERT, HOST_READ, PIN, UNPIN),
            Set.of(GUEST_READ, GUEST_WRITE, GUEST_REQUEST_CONVERSION));

    @Override
    public String toString() {
        return name;
    }
}
