package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/** rfc-v2-convert (never merged): KVM_GMEM_CONVERT_PRIVATE / _SHARED on the guest_memfd, sent only when asked for. */
final class RfcV2Conversion extends InPlaceConversion {

    @Override
    public String whyUnsupported(KernelProfile profile) {
        return null;
    }

    @Override
    public String warning() {
        return "rfc-v2-convert asked explicitly: the RFC v2 ioctl numbers are sent (they collide with mainline ones)";
    }

    @Override
    Observation convertFile(Memory request, int fd, long offset, long size, boolean toPrivate, Operation.Convert.Raw raw) {
        int r = KvmCalls.gmemConvert(fd, request, offset, size, toPrivate, raw);
        if (r >= 0) return Observation.Ok.INSTANCE;
        return refusedOrFailed(-r, request.getLong(Structs.GmemConvert.ERROR_OFFSET), "KVM_GMEM_CONVERT");
    }
}
