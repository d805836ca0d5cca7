package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/**
 * How the host converts memory between shared and private, chosen once per session from the
 * edition's {@link dev.gmem.api.ConversionCall}: one implementation per call.
 */
sealed interface Conversion permits VmAttributesConversion, InPlaceConversion, NoConversion {

    static Conversion of(Edition edition) {
        return switch (edition.conversionCall()) {
            case VM_ATTRIBUTES -> new VmAttributesConversion(edition);
            case GMEM_ATTRIBUTES2 -> new Attributes2Conversion();
            case GMEM_CONVERT -> new RfcV2Conversion();
            case NONE -> new NoConversion(edition);
        };
    }

    /** What a conversion reaches in its session. */
    interface Host {
        /** VM 0, the one the memslots and the vCPU live in. */
        Vm vm();

        /** The open guest_memfd of {@code handle}, or null. */
        GmemFile open(int handle);

        /** The memslot that holds all of {@code [gpa, gpa + size)}, or null. */
        Slot slotHolding(long gpa, long size);

        /** The session's request buffer, big enough for every conversion struct. */
        Memory request();
    }

    /** Why the profiled kernel cannot convert this way, or null when it can. */
    String whyUnsupported(KernelProfile profile);

    /** A line for the target's findings when this way needs a warning, or null. */
    default String warning() {
        return null;
    }

    /** Operation CONVERT: the range of the guest_memfd to private or shared, as the caller asked. */
    Observation convert(Host host, Operation.Convert o, boolean toPrivate);

    /** A guest's KVM_HC_MAP_GPA_RANGE as the host serves it: 0 or minus the errno for the guest. */
    long convertForGuest(Host host, long gpa, long size, boolean toPrivate);
}
