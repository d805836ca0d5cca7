package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/**
 * A conversion call on the guest_memfd itself, by file offset; a guest's GPA range is converted
 * through the memslot that holds it.
 */
abstract sealed class InPlaceConversion implements Conversion permits Attributes2Conversion, RfcV2Conversion {

    /** The call on {@code fd}, its request in {@code request}. */
    abstract Observation convertFile(Memory request, int fd, long offset, long size, boolean toPrivate,
                                     Operation.Convert.Raw raw);

    @Override
    public final Observation convert(Host host, Operation.Convert o, boolean toPrivate) {
        GmemFile g = host.open(o.gmem());
        if (g == null) return new Observation.Failed(Errno.EBADF);
        return convertFile(host.request(), g.fd(), o.offset(), o.size(), toPrivate, o.raw());
    }

    @Override
    public final long convertForGuest(Host host, long gpa, long size, boolean toPrivate) {
        Slot slot = host.slotHolding(gpa, size);
        if (slot == null) return -Errnos.EINVAL;
        GmemFile g = host.open(slot.gmem());
        if (g == null) return -Errnos.EBADF;
        Observation r = convertFile(host.request(), g.fd(), slot.offset() + (gpa - slot.gpa()), size, toPrivate,
                Operation.Convert.Raw.NONE);
        if (r instanceof Observation.Ok) return 0;
        if (r instanceof Observation.Refused) return -Errnos.EAGAIN;
        if (r instanceof Observation.Failed f) return -f.errno().number();
        return -Errnos.EINVAL;
    }

    /** EAGAIN is a refusal that names where the kernel stopped (REF); any other errno a failure. */
    static Observation refusedOrFailed(int errno, long errorOffset, String call) {
        if (errno == Errnos.EAGAIN) return new Observation.Refused(Errno.EAGAIN, errorOffset);
        return Errnos.failed(errno, call);
    }
}
