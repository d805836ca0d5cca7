package dev.gmem.kernel;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.FileSyscall;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.MapKind;
import dev.gmem.api.Observation;
import dev.gmem.api.Observation.Created;
import dev.gmem.api.Observation.Failed;
import dev.gmem.api.Observation.HostFault;
import dev.gmem.api.Observation.Ok;
import dev.gmem.api.Observation.Read;
import dev.gmem.api.Operation.Allocate;
import dev.gmem.api.Operation.Bind;
import dev.gmem.api.Operation.Close;
import dev.gmem.api.Operation.CloseVm;
import dev.gmem.api.Operation.Create;
import dev.gmem.api.Operation.FileCall;
import dev.gmem.api.Operation.HostRead;
import dev.gmem.api.Operation.HostWrite;
import dev.gmem.api.Operation.Mmap;
import dev.gmem.api.Operation.Pin;
import dev.gmem.api.Operation.PunchHole;
import dev.gmem.api.Operation.Stat;
import dev.gmem.api.Operation.Unbind;
import dev.gmem.api.Operation.Unpin;
import dev.gmem.api.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.gmem.kernel.KvmAvailable.edition;
import static dev.gmem.kernel.KvmAvailable.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CREATE, FILE, MMAP, HOST, PIN, PUNCH and BIND clauses against this machine's /dev/kvm, in
 * the edition the kernel prefers (skipped, with the reason, without /dev/kvm).
 */
class KernelClausesTest {
    static final long PAGE = GuestLayout.PAGE_SIZE;
    private Session s;
    private Edition e;

    @BeforeEach
    void open() throws Exception {
        e = edition();
        s = target().open(e);
    }

    @AfterEach
    void close() {
        if (s != null) s.close();
    }

    private long mmapShared() {
        return e.mmapFlag() | (e.initialFlipFlag() != 0 && e.initialState() == dev.gmem.api.PageState.PRIVATE
                ? e.initialFlipFlag() : 0);
    }

    private int create(long size, long flags) {
        Observation o = s.apply(new Create(0, size, flags));
        assertThat(o).isInstanceOf(Created.class);
        return ((Created) o).gmem();
    }

    private static Failed failed(Errno errno) {
        return new Failed(errno);
    }

    @Test
    void createRejectsBadSizesAndUnknownFlags() {
        assertThat(s.apply(new Create(0, 0, 0))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new Create(0, PAGE + 1, 0))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new Create(0, 1L << 63, 0))).isEqualTo(failed(Errno.EINVAL));
        long reported = KvmAvailable.profile().guestMemfdFlags().getOrDefault(e.vmType().number(), 0L);
        for (int bit = 0; bit < 64; bit++) {
            Observation o = s.apply(new Create(0, PAGE, 1L << bit));
            if ((reported & (1L << bit)) != 0) {
                assertThat(o).as("flag bit %d reported by KVM_CAP_GUEST_MEMFD_FLAGS", bit).isInstanceOf(Created.class);
            } else {
                assertThat(o).as("flag bit %d not reported", bit).isEqualTo(failed(Errno.EINVAL));
            }
        }
    }

    @Test
    void twoInstancesAreDistinctFilesOfTheirSize() {
        int a = create(PAGE, 0);
        int b = create(4 * PAGE, 0);
        assertThat(a).isNotEqualTo(b);
        assertThat(s.apply(new Stat(a))).isEqualTo(new Observation.FileSize(PAGE));
        assertThat(s.apply(new Stat(b))).isEqualTo(new Observation.FileSize(4 * PAGE));
    }

    @Test
    void fileSystemCallsFail() {
        int g = create(PAGE, 0);
        assertThat(s.apply(new FileCall(g, FileSyscall.READ))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new FileCall(g, FileSyscall.WRITE))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new FileCall(g, FileSyscall.FTRUNCATE))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new FileCall(g, FileSyscall.PREAD))).isEqualTo(failed(Errno.ESPIPE));
        assertThat(s.apply(new FileCall(g, FileSyscall.PWRITE))).isEqualTo(failed(Errno.ESPIPE));
        assertThat(s.apply(new FileCall(g, FileSyscall.LSEEK))).isEqualTo(failed(Errno.ESPIPE));
    }

    @Test
    void fallocateNeedsKeepSizeAlignmentAndStaysInside() {
        int g = create(4 * PAGE, 0);
        assertThat(s.apply(new Allocate(g, 0, PAGE, false))).isEqualTo(failed(Errno.EOPNOTSUPP));
        assertThat(s.apply(new Allocate(g, 0, PAGE, true))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new Allocate(g, 1, PAGE, true))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new Allocate(g, 0, 0, true))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new Allocate(g, 4 * PAGE, PAGE, true))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new PunchHole(g, 1, PAGE))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new PunchHole(g, 0, PAGE - 1))).isEqualTo(failed(Errno.EINVAL));
        Observation pastEnd = s.apply(new PunchHole(g, 8 * PAGE, PAGE));
        assertThat(pastEnd).isEqualTo(e.punchPastEndSucceeds() ? Ok.INSTANCE : failed(Errno.EINVAL));
    }

    @Test
    void mmapNeedsTheFlagAndIsSharedOnly() {
        assumeTrue(e.mmapFlag() != 0, () -> e.name() + " has no mappable guest_memfd");
        int plain = create(PAGE, 0);
        int mappable = create(PAGE, mmapShared());
        assertThat(s.apply(new Mmap(plain, MapKind.SHARED))).isEqualTo(failed(Errno.ENODEV));
        assertThat(s.apply(new Mmap(mappable, MapKind.SHARED))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new Mmap(mappable, MapKind.PRIVATE_COW))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(new Mmap(mappable, MapKind.EXEC))).isEqualTo(failed(Errno.EPERM));
    }

    @Test
    void sharedPageIsReadableWritableAndFreshPagesReadZero() {
        assumeTrue(e.mmapFlag() != 0 || e.hostViewIsSeparate(), () -> e.name() + " gives the host no view");
        int g = create(4 * PAGE, mmapShared());
        assertThat(s.apply(new HostRead(g, 0, 4 * PAGE, 0))).isEqualTo(new Read(Bytes.zeros(4 * PAGE)));
        assertThat(s.apply(new HostWrite(g, PAGE + 16, 100, (byte) 0xAB, 0))).isEqualTo(Ok.INSTANCE);
        Bytes expected = Bytes.zeros(16).concat(Bytes.fill(100, (byte) 0xAB)).concat(Bytes.zeros(PAGE - 116));
        assertThat(s.apply(new HostRead(g, PAGE, PAGE, 0))).isEqualTo(new Read(expected));
        assertThat(s.apply(new HostRead(g, PAGE, PAGE, 1))).as("the other process's view").isEqualTo(new Read(expected));
        assertThat(s.apply(new HostRead(g, 0, 0, 0))).isEqualTo(new Read(Bytes.EMPTY));
    }

    @Test
    void accessPastTheEndFaultsWithoutASignal() {
        assumeTrue(e.mmapFlag() != 0, () -> e.name() + " has no mappable guest_memfd");
        int g = create(2 * PAGE, mmapShared());
        assertThat(s.apply(new HostRead(g, PAGE, 2 * PAGE, 0))).isEqualTo(new HostFault(2 * PAGE));
        assertThat(s.apply(new HostRead(g, 3 * PAGE, 8, 0))).isEqualTo(new HostFault(3 * PAGE));
        assertThat(s.apply(new HostWrite(g, PAGE, 2 * PAGE, (byte) 1, 0))).isEqualTo(new HostFault(2 * PAGE));
        assertThat(s.apply(new HostRead(g, PAGE, 8, 0))).as("a faulting write writes nothing")
                .isEqualTo(new Read(Bytes.zeros(8)));
    }

    @Test
    void privatePagesFaultOnEveryHostAccessAndFaultsChangeNothing() {
        assumeTrue(e.mmapFlag() != 0 && e.initialState() == dev.gmem.api.PageState.PRIVATE,
                () -> e.name() + " has no mappable private page");
        int g = create(2 * PAGE, e.mmapFlag());
        for (int i = 0; i < 3; i++) {
            assertThat(s.apply(new HostRead(g, 0, 8, 0))).isEqualTo(new HostFault(0));
            assertThat(s.apply(new HostRead(g, PAGE + 5, 8, 1))).isEqualTo(new HostFault(PAGE + 5));
            assertThat(s.apply(new HostWrite(g, 100, 2 * PAGE - 100, (byte) 7, 0))).isEqualTo(new HostFault(100));
            assertThat(s.apply(new Pin(g, 0, PAGE))).isEqualTo(new HostFault(0));
        }
    }

    @Test
    void unmappableFileHasNoHostView() {
        assumeTrue(!e.hostViewIsSeparate(), () -> e.name() + " reads through a separate buffer");
        int g = create(PAGE, 0);
        assertThat(s.apply(new HostRead(g, 0, 8, 0))).isEqualTo(failed(Errno.ENODEV));
        assertThat(s.apply(new HostWrite(g, 0, 8, (byte) 1, 0))).isEqualTo(failed(Errno.ENODEV));
    }

    @Test
    void pinsAreHandedOutInOrderAndUnpinnedOnce() {
        assumeTrue(e.mmapFlag() != 0 || e.hostViewIsSeparate(), () -> e.name() + " gives the host no view");
        int g = create(4 * PAGE, mmapShared());
        assertThat(s.apply(new Pin(g, 0, PAGE))).isEqualTo(new Observation.Pinned(0));
        assertThat(s.apply(new Pin(g, PAGE, 3 * PAGE))).isEqualTo(new Observation.Pinned(1));
        assertThat(s.apply(new Pin(g, 3 * PAGE, 2 * PAGE))).isEqualTo(new HostFault(4 * PAGE));
        assertThat(s.apply(new Unpin(0))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new Unpin(0))).isEqualTo(failed(Errno.EBADF));
        assertThat(s.apply(new Unpin(7))).isEqualTo(failed(Errno.EBADF));
        assertThat(s.apply(new Pin(g, 0, PAGE))).isEqualTo(new Observation.Pinned(2));
    }

    @Test
    void aPunchedPageReadsZero() {
        assumeTrue(e.mmapFlag() != 0, () -> e.name() + ": the host does not see guest_memfd pages");
        int g = create(3 * PAGE, mmapShared());
        s.apply(new HostWrite(g, 0, 3 * PAGE, (byte) 0x5C, 0));
        assertThat(s.apply(new PunchHole(g, PAGE, PAGE))).isEqualTo(Ok.INSTANCE);
        Bytes expected = Bytes.fill(PAGE, (byte) 0x5C).concat(Bytes.zeros(PAGE)).concat(Bytes.fill(PAGE, (byte) 0x5C));
        assertThat(s.apply(new HostRead(g, 0, 3 * PAGE, 1))).isEqualTo(new Read(expected));
    }

    @Test
    void aRangeBindsOnceAndOnlyInsideItsFile() {
        int g = create(8 * PAGE, mmapShared());
        assertThat(s.apply(Bind.canonical(1, g, 0, 4 * PAGE))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new Bind(2, g, 2 * PAGE, 4 * PAGE, GuestLayout.gpa(g, 2 * PAGE) + GuestLayout.WINDOW / 2)))
                .as("overlapping offsets").isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(Bind.canonical(3, g, 4 * PAGE + 1, PAGE))).as("misaligned").isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(Bind.canonical(4, g, 6 * PAGE, 4 * PAGE))).as("past the end").isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(Bind.canonical(1, g, 0, 2 * PAGE))).as("a bound slot can only be deleted")
                .isEqualTo(failed(Errno.EINVAL));
        Observation other = s.apply(new Create(1, 8 * PAGE, mmapShared()));
        assertThat(other).isInstanceOf(Created.class);
        int g1 = ((Created) other).gmem();
        assertThat(s.apply(Bind.canonical(5, g1, 0, PAGE))).as("a guest_memfd of another VM").isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(Bind.canonical(6, g, 4 * PAGE, 4 * PAGE))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new Unbind(1))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new Unbind(1))).isEqualTo(failed(Errno.EINVAL));
        assertThat(s.apply(Bind.canonical(1, g, 0, 4 * PAGE))).as("bindable again once unbound").isEqualTo(Ok.INSTANCE);
    }

    @Test
    void aGuestMemfdOutlivesItsVm() {
        int g = create(2 * PAGE, mmapShared());
        assertThat(s.apply(new CloseVm(0))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new CloseVm(0))).isEqualTo(failed(Errno.EBADF));
        assertThat(s.apply(new Create(0, PAGE, 0))).isEqualTo(failed(Errno.EBADF));
        assertThat(s.apply(new Stat(g))).isEqualTo(new Observation.FileSize(2 * PAGE));
        assertThat(s.apply(new Allocate(g, 0, PAGE, true))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new PunchHole(g, 0, PAGE))).isEqualTo(Ok.INSTANCE);
        if (e.mmapFlag() != 0) {
            assertThat(s.apply(new HostWrite(g, 0, 8, (byte) 9, 0))).isEqualTo(Ok.INSTANCE);
            assertThat(s.apply(new HostRead(g, 0, 8, 0))).isEqualTo(new Read(Bytes.fill(8, (byte) 9)));
        }
        assertThat(s.apply(new Close(g))).isEqualTo(Ok.INSTANCE);
        assertThat(s.apply(new Close(g))).isEqualTo(failed(Errno.EBADF));
        assertThat(s.apply(new Stat(g))).isEqualTo(failed(Errno.EBADF));
    }
}
