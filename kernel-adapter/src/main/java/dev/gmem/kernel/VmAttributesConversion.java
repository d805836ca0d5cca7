package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;

/** vm-attributes: KVM_SET_MEMORY_ATTRIBUTES on the VM, per GPA. */
record VmAttributesConversion(Edition edition) implements Conversion {

    @Override
    public String whyUnsupported(KernelProfile profile) {
        int type = edition.vmType().number();
        if (profile.vmConvertsPrivate(type)) return null;
        if (!profile.privateMemory(type)) {
            return "KVM_CAP_MEMORY_ATTRIBUTES = " + profile.memoryAttributes().getOrDefault(type, 0L)
                    + " on a " + edition.vmType() + " VM: no private memory on this kernel";
        }
        return "KVM_SET_MEMORY_ATTRIBUTES(PRIVATE) on a " + edition.vmType() + " VM answers "
                + Errnos.name(profile.privateRequest().getOrDefault(type, 0))
                + " although KVM_CAP_MEMORY_ATTRIBUTES offers it (in-place conversion mode?)";
    }

    /** The range's canonical GPAs, through a live guest_memfd's window: a closed handle has none. */
    @Override
    public Observation convert(Host host, Operation.Convert o, boolean toPrivate) {
        if (!host.vm().isOpen() || host.open(o.gmem()) == null) return new Observation.Failed(Errno.EBADF);
        Operation.Convert.Raw raw = o.raw();
        int err = host.vm().setMemoryAttributes(GuestLayout.gpa(o.gmem(), o.offset()), o.size(),
                Requests.attributes(toPrivate, raw), raw.flags());
        return err == 0 ? Observation.Ok.INSTANCE : Errnos.failed(err, "KVM_SET_MEMORY_ATTRIBUTES");
    }

    @Override
    public long convertForGuest(Host host, long gpa, long size, boolean toPrivate) {
        return -host.vm().setMemoryAttributes(gpa, size, Requests.attributes(toPrivate, Operation.Convert.Raw.NONE), 0);
    }
}
