package dev.gmem.kernel;

import com.sun.jna.Pointer;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Operation;

/** Fills the request structs of the ioctls {@link KvmCalls} sends (layouts in {@link Structs}). */
final class Requests {
    private Requests() {
    }

    static void createGuestMemfd(Pointer p, long size, long flags) {
        p.clear(Structs.CreateGuestMemfd.SIZE);
        p.setLong(Structs.CreateGuestMemfd.SIZE_FIELD, size);
        p.setLong(Structs.CreateGuestMemfd.FLAGS, flags);
    }

    static void userMemoryRegion2(Pointer p, int slot, int flags, long gpa, long size, long userspaceAddr,
                                  long gmemOffset, int gmemFd) {
        p.clear(Structs.UserMemoryRegion2.SIZE);
        p.setInt(Structs.UserMemoryRegion2.SLOT, slot);
        p.setInt(Structs.UserMemoryRegion2.FLAGS, flags);
        p.setLong(Structs.UserMemoryRegion2.GUEST_PHYS_ADDR, gpa);
        p.setLong(Structs.UserMemoryRegion2.MEMORY_SIZE, size);
        p.setLong(Structs.UserMemoryRegion2.USERSPACE_ADDR, userspaceAddr);
        p.setLong(Structs.UserMemoryRegion2.GUEST_MEMFD_OFFSET, gmemOffset);
        p.setInt(Structs.UserMemoryRegion2.GUEST_MEMFD, gmemFd);
    }

    /** KVM_SET_REGS: these registers, every other one zero. */
    static void regs(Pointer p, long rip, long rsp, long rflags, long rax, long rbx, long rcx, long rdx, long rsi) {
        p.clear(Structs.Regs.SIZE);
        p.setLong(Structs.Regs.RIP, rip);
        p.setLong(Structs.Regs.RSP, rsp);
        p.setLong(Structs.Regs.RFLAGS, rflags);
        p.setLong(Structs.Regs.RAX, rax);
        p.setLong(Structs.Regs.RBX, rbx);
        p.setLong(Structs.Regs.RCX, rcx);
        p.setLong(Structs.Regs.RDX, rdx);
        p.setLong(Structs.Regs.RSI, rsi);
    }

    /** KVM_ENABLE_CAP with one argument. */
    static void enableCap(Pointer p, int cap, long arg0) {
        p.clear(Structs.EnableCap.SIZE);
        p.setInt(Structs.EnableCap.CAP, cap);
        p.setLong(Structs.EnableCap.ARGS, arg0);
    }

    /** vm-attributes: KVM_SET_MEMORY_ATTRIBUTES on the VM, per GPA range. */
    static void memoryAttributes(Pointer p, long gpa, long size, long attributes, long flags) {
        p.clear(Structs.MemoryAttributes.SIZE);
        p.setLong(Structs.MemoryAttributes.ADDRESS, gpa);
        p.setLong(Structs.MemoryAttributes.SIZE_FIELD, size);
        p.setLong(Structs.MemoryAttributes.ATTRIBUTES, attributes);
        p.setLong(Structs.MemoryAttributes.FLAGS, flags);
    }

    /** The attributes word a conversion to {@code toPrivate} asks for, with any extra bits of the raw request. */
    static long attributes(boolean toPrivate, Operation.Convert.Raw raw) {
        return (toPrivate ? MemoryAttributes.PRIVATE : 0) | raw.extraAttributes();
    }

    /** inplace-v8: KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd, every raw field as given. */
    static void memoryAttributes2(Pointer p, long offset, long size, boolean toPrivate, Operation.Convert.Raw raw) {
        p.clear(Structs.MemoryAttributes2.SIZE);
        p.setLong(Structs.MemoryAttributes2.OFFSET, offset);
        p.setLong(Structs.MemoryAttributes2.SIZE_FIELD, size);
        p.setLong(Structs.MemoryAttributes2.ATTRIBUTES, attributes(toPrivate, raw));
        p.setLong(Structs.MemoryAttributes2.FLAGS, raw.flags());
        p.setLong(Structs.MemoryAttributes2.ERROR_OFFSET, raw.inputErrorOffset());
        p.setLong(Structs.MemoryAttributes2.RESERVED, raw.reserved());
    }

    /** rfc-v2-convert: KVM_GMEM_CONVERT_SHARED/_PRIVATE on the guest_memfd (the direction is the ioctl). */
    static void gmemConvert(Pointer p, long offset, long size, Operation.Convert.Raw raw) {
        p.clear(Structs.GmemConvert.SIZE);
        p.setLong(Structs.GmemConvert.OFFSET, offset);
        p.setLong(Structs.GmemConvert.SIZE_FIELD, size);
        p.setLong(Structs.GmemConvert.ERROR_OFFSET, raw.inputErrorOffset());
        p.setLong(Structs.GmemConvert.RESERVED, raw.reserved());
    }
}
