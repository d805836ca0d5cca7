package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/** inplace-v8: KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd. */
final class Attributes2Conversion extends InPlaceConversion {

    @Override
    public String whyUnsupported(KernelProfile profile) {
        return profile.attributes2Present() ? null : "KVM_SET_MEMORY_ATTRIBUTES2 is " + profile.attributes2();
    }

    @Override
    Observation convertFile(Memory request, int fd, long offset, long size, boolean toPrivate, Operation.Convert.Raw raw) {
        int r = KvmCalls.setMemoryAttributes2(fd, request, offset, size, toPrivate, raw);
        if (r >= 0) return Observation.Ok.INSTANCE;
        return refusedOrFailed(-r, request.getLong(Structs.MemoryAttributes2.ERROR_OFFSET), "KVM_SET_MEMORY_ATTRIBUTES2");
    }
}
