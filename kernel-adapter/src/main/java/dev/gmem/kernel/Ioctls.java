package dev.gmem.kernel;

/**
 * Every ioctl number the adapter sends, computed from {@code _IOC(dir, type, nr, size)} as
 * include/uapi/asm-generic/ioctl.h defines it (KERNEL-ABI.md §2 lists the expected values).
 */
final class Ioctls {
    private Ioctls() {
    }

    static final int NONE = 0;
    static final int WRITE = 1;
    static final int READ = 2;

    /** {@code _IOC}: dir in bits 30..31, size in 16..29, type in 8..15, nr in 0..7. */
    static long ioc(int dir, int type, int nr, int size) {
        if (size < 0 || size >= (1 << 14)) throw new IllegalArgumentException("ioctl size out of range: " + size);
        return ((long) dir << 30) | ((long) size << 16) | ((long) type << 8) | nr;
    }

    static long io(int type, int nr) {
        return ioc(NONE, type, nr, 0);
    }

    static long iow(int type, int nr, int size) {
        return ioc(WRITE, type, nr, size);
    }

    static long ior(int type, int nr, int size) {
        return ioc(READ, type, nr, size);
    }

    static long iowr(int type, int nr, int size) {
        return ioc(READ | WRITE, type, nr, size);
    }

    static final int KVMIO = 0xAE;
    /** The RFC v2 guest_memfd ioctl type (never merged): only sent when the user asks for rfc-v2-convert. */
    static final int KVM_GMEM_RFC_IO = 0xAF;
    static final int GUP_TEST_IO = 'g';

    static final long KVM_GET_API_VERSION = io(KVMIO, 0x00);
    static final long KVM_CREATE_VM = io(KVMIO, 0x01);
    static final long KVM_CHECK_EXTENSION = io(KVMIO, 0x03);
    static final long KVM_GET_VCPU_MMAP_SIZE = io(KVMIO, 0x04);
    static final long KVM_GET_SUPPORTED_CPUID = iowr(KVMIO, 0x05, Structs.CpuId2.SIZE);
    static final long KVM_CREATE_VCPU = io(KVMIO, 0x41);
    static final long KVM_SET_USER_MEMORY_REGION2 = iow(KVMIO, 0x49, Structs.UserMemoryRegion2.SIZE);
    static final long KVM_RUN = io(KVMIO, 0x80);
    static final long KVM_GET_REGS = ior(KVMIO, 0x81, Structs.Regs.SIZE);
    static final long KVM_SET_REGS = iow(KVMIO, 0x82, Structs.Regs.SIZE);
    static final long KVM_GET_SREGS = ior(KVMIO, 0x83, Structs.Sregs.SIZE);
    static final long KVM_SET_SREGS = iow(KVMIO, 0x84, Structs.Sregs.SIZE);
    static final long KVM_SET_CPUID2 = iow(KVMIO, 0x90, Structs.CpuId2.SIZE);
    static final long KVM_ENABLE_CAP = iow(KVMIO, 0xa3, Structs.EnableCap.SIZE);
    static final long KVM_SET_MEMORY_ATTRIBUTES = iow(KVMIO, 0xd2, Structs.MemoryAttributes.SIZE);
    static final long KVM_CREATE_GUEST_MEMFD = iowr(KVMIO, 0xd4, Structs.CreateGuestMemfd.SIZE);
    /** inplace-v8, on the guest_memfd fd. */
    static final long KVM_SET_MEMORY_ATTRIBUTES2 = iowr(KVMIO, 0xd2, Structs.MemoryAttributes2.SIZE);
    /** RFC v2 (never merged), on the guest_memfd fd. */
    static final long KVM_GMEM_CONVERT_SHARED = iowr(KVM_GMEM_RFC_IO, 0x41, Structs.GmemConvert.SIZE);
    static final long KVM_GMEM_CONVERT_PRIVATE = iowr(KVM_GMEM_RFC_IO, 0x42, Structs.GmemConvert.SIZE);
    /** CONFIG_GUP_TEST, /sys/kernel/debug/gup_test. */
    static final long PIN_LONGTERM_TEST_START = iow(GUP_TEST_IO, 7, Structs.PinLongtermTest.SIZE);
    static final long PIN_LONGTERM_TEST_STOP = io(GUP_TEST_IO, 8);
}
