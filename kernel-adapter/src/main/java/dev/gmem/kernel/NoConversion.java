package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/** gmem-mmap: each page's state is fixed at creation; the target offers no conversion at all. */
record NoConversion(Edition edition) implements Conversion {

    @Override
    public String whyUnsupported(KernelProfile profile) {
        int type = edition.vmType().number();
        return "KVM_CAP_MEMORY_ATTRIBUTES = " + profile.memoryAttributes().getOrDefault(type, 0L)
                + ": no private memory on this kernel (" + edition.name()
                + " fixes each page's state at creation; it has no conversion call)";
    }

    @Override
    public Observation convert(Host host, Operation.Convert o, boolean toPrivate) {
        return new Observation.Unsupported(edition.name() + " has no conversion call");
    }

    @Override
    public long convertForGuest(Host host, long gpa, long size, boolean toPrivate) {
        return -Errnos.EINVAL;
    }
}
