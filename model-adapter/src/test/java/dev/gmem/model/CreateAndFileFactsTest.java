package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.FileSyscall;
import dev.gmem.api.MapKind;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** KERNEL-ABI.md §4: what the 6.18 kernel answers for create, mmap, fallocate and file calls. */
class CreateAndFileFactsTest {
    private final Sim sim = Sim.of(Edition.GMEM_MMAP);

    @ParameterizedTest(name = "create of size {0} -> EINVAL")
    @ValueSource(longs = {0, 1, 4095, 4097, Long.MIN_VALUE, -PAGE})
    @DisplayName("6.18 (§4): create with size 0, unaligned or >= 2^63 (u64) -> EINVAL")
    void createBadSizeIsEinval(long size) {
        assertThat(sim.apply(new Operation.Create(0, size, Edition.FLAG_MMAP))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.state().liveGmems()).isEmpty();
    }

    @Test
    @DisplayName("6.18 (§4, KVM_CAP_GUEST_MEMFD_FLAGS = 3): an unknown flag bit -> EINVAL")
    void createUnknownFlagIsEinval() {
        assertThat(sim.apply(new Operation.Create(0, PAGE, 1L << 2))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Create(0, PAGE, 1L << 63 | Edition.FLAG_MMAP))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("Operation javadoc: the n-th successful create is gmem n; a failed create takes no handle")
    void handlesCountSuccessfulCreates() {
        assertThat(sim.apply(new Operation.Create(0, PAGE, 0))).isEqualTo(new Observation.Created(0));
        assertThat(sim.apply(new Operation.Create(0, 0, 0))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Create(1, PAGE, 0))).isEqualTo(new Observation.Created(1));
    }

    @Test
    @DisplayName("6.18 (§4): INIT_SHARED without MMAP is accepted (reserved[] unchecked: nothing to model); mmap then fails ENODEV")
    void initSharedWithoutMmapAccepted() {
        int g = sim.createPages(1, Edition.FLAG_INIT_SHARED);
        assertThat(sim.apply(new Operation.Mmap(g, MapKind.SHARED))).isEqualTo(failed(Errno.ENODEV));
    }

    @Test
    @DisplayName("6.18 (§4): mmap without the MMAP flag -> ENODEV, and the host cannot read through a mapping")
    void mmapWithoutFlagIsEnodev() {
        int g = sim.createPages(1, 0);
        assertThat(sim.apply(new Operation.Mmap(g, MapKind.SHARED))).isEqualTo(failed(Errno.ENODEV));
        assertThat(sim.read(g, 0, 8)).isEqualTo(failed(Errno.ENODEV));
    }

    @Test
    @DisplayName("6.18 (§4): mmap MAP_PRIVATE -> EINVAL; MAP_SHARED -> ok")
    void mapPrivateIsEinval() {
        int g = sim.createShared(1);
        assertThat(sim.apply(new Operation.Mmap(g, MapKind.PRIVATE_COW))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Mmap(g, MapKind.SHARED))).isEqualTo(OK);
    }

    @Test
    @DisplayName("6.18 (§4): mmap PROT_EXEC -> EPERM, refused by do_mmap even before a file without MMAP says ENODEV")
    void protExecIsEperm() {
        int mappable = sim.createShared(1);
        int plain = sim.createPages(1, 0);
        assertThat(sim.apply(new Operation.Mmap(mappable, MapKind.EXEC))).isEqualTo(failed(Errno.EPERM));
        assertThat(sim.apply(new Operation.Mmap(plain, MapKind.EXEC))).isEqualTo(failed(Errno.EPERM));
    }

    @Test
    @DisplayName("6.12 reference kernel probe: a guest_memfd without an mmap method answers ENODEV, PROT_EXEC included")
    void noMmapMethodIsEnodevEvenForExec() {
        Sim old = Sim.of(Edition.VM_ATTRIBUTES);
        int g = old.createPages(1, 0);
        for (MapKind kind : MapKind.values()) {
            assertThat(old.apply(new Operation.Mmap(g, kind))).as(kind.name()).isEqualTo(failed(Errno.ENODEV));
        }
    }

    @Test
    @DisplayName("6.18 (§4): read, write, ftruncate -> EINVAL")
    void readWriteFtruncateAreEinval() {
        int g = sim.createShared(1);
        for (FileSyscall call : new FileSyscall[] {FileSyscall.READ, FileSyscall.WRITE, FileSyscall.FTRUNCATE}) {
            assertThat(sim.apply(new Operation.FileCall(g, call))).as(call.name()).isEqualTo(failed(Errno.EINVAL));
        }
    }

    @Test
    @DisplayName("6.18 (§4): pread, pwrite, lseek -> ESPIPE")
    void preadPwriteLseekAreEspipe() {
        int g = sim.createShared(1);
        for (FileSyscall call : new FileSyscall[] {FileSyscall.PREAD, FileSyscall.PWRITE, FileSyscall.LSEEK}) {
            assertThat(sim.apply(new Operation.FileCall(g, call))).as(call.name()).isEqualTo(failed(Errno.ESPIPE));
        }
    }

    @Test
    @DisplayName("CONTRACT FILE (test_file_size): fstat reports the size asked at creation")
    void statReportsSize() {
        int g = sim.createShared(3);
        assertThat(sim.apply(new Operation.Stat(g))).isEqualTo(new Observation.FileSize(3 * PAGE));
    }

    @Test
    @DisplayName("6.18 (§4): fallocate without KEEP_SIZE -> EOPNOTSUPP")
    void allocateWithoutKeepSizeIsEopnotsupp() {
        int g = sim.createShared(2);
        assertThat(sim.apply(new Operation.Allocate(g, 0, PAGE, false))).isEqualTo(failed(Errno.EOPNOTSUPP));
        assertThat(sim.apply(new Operation.Allocate(g, 0, PAGE, true))).isEqualTo(OK);
    }

    @Test
    @DisplayName("6.18 (§4): allocate past the end -> EINVAL")
    void allocatePastEndIsEinval() {
        int g = sim.createShared(2);
        assertThat(sim.apply(new Operation.Allocate(g, PAGE, 2 * PAGE, true))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("6.18 (§4): fallocate misaligned or of length 0 -> EINVAL (punch and allocate)")
    void fallocateMisalignedOrEmptyIsEinval() {
        int g = sim.createShared(2);
        assertThat(sim.apply(new Operation.Allocate(g, 1, PAGE, true))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.Allocate(g, 0, 0, true))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.PunchHole(g, 0, 100))).isEqualTo(failed(Errno.EINVAL));
        assertThat(sim.apply(new Operation.PunchHole(g, 0, 0))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("fs/open.c vfs_fallocate: len <= 0 is EINVAL before the mode is looked at (even without KEEP_SIZE)")
    void emptyAllocateIsEinvalBeforeMode() {
        int g = sim.createShared(2);
        assertThat(sim.apply(new Operation.Allocate(g, 0, 0, false))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("fs/open.c vfs_fallocate: an end past LLONG_MAX is EFBIG, before guest_memfd's alignment check")
    void overflowingFallocateIsEfbig() {
        int g = sim.createShared(1);
        long nearTop = Long.MAX_VALUE & -PAGE;
        assertThat(sim.apply(new Operation.PunchHole(g, nearTop, 2 * PAGE))).isEqualTo(failed(Errno.EFBIG));
        assertThat(sim.apply(new Operation.PunchHole(g, nearTop + 1, 2 * PAGE))).as("misaligned too").isEqualTo(failed(Errno.EFBIG));
        assertThat(sim.apply(new Operation.Allocate(g, nearTop, 2 * PAGE, true))).isEqualTo(failed(Errno.EFBIG));
        assertThat(sim.apply(new Operation.Allocate(g, nearTop, 2 * PAGE, false))).as("the mode is checked first")
                .isEqualTo(failed(Errno.EOPNOTSUPP));
    }

    @Test
    @DisplayName("6.18 (§4): punch past the end succeeds as a no-op for the part past the end")
    void punchPastEndSucceeds() {
        int g = sim.createShared(2);
        sim.write(g, 0, 2 * PAGE, 0x5a);
        assertThat(sim.apply(new Operation.PunchHole(g, 4 * PAGE, 4 * PAGE))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.PunchHole(g, PAGE, 4 * PAGE))).isEqualTo(OK);
        assertThat(sim.read(g, 0, 2 * PAGE))
                .isEqualTo(new Observation.Read(Bytes.fill(PAGE, (byte) 0x5a).concat(Bytes.zeros(PAGE))));
    }

    @Test
    @DisplayName("6.18 (§4): a punched page reads 0 afterwards, its neighbours keep their bytes")
    void punchedPageReadsZero() {
        int g = sim.createShared(3);
        sim.write(g, 0, 3 * PAGE, 0x77);
        assertThat(sim.apply(new Operation.PunchHole(g, PAGE, PAGE))).isEqualTo(OK);
        assertThat(sim.read(g, PAGE, PAGE)).isEqualTo(Sim.read(PAGE, 0));
        assertThat(sim.read(g, 0, PAGE)).isEqualTo(Sim.read(PAGE, 0x77));
        assertThat(sim.read(g, 2 * PAGE, PAGE)).isEqualTo(Sim.read(PAGE, 0x77));
    }

    @Test
    @DisplayName("6.18 (§4): MMAP without INIT_SHARED: every touch faults")
    void mmapWithoutInitSharedFaults() {
        int g = sim.createPages(2, Edition.FLAG_MMAP);
        assertThat(sim.read(g, 5, 1)).isEqualTo(new Observation.HostFault(5));
        assertThat(sim.write(g, PAGE, 1, 1)).isEqualTo(new Observation.HostFault(PAGE));
        assertThat(sim.pin(g, 0, 1)).isEqualTo(new Observation.HostFault(0));
    }

    @Test
    @DisplayName("6.18 (§4): the mapping past the end succeeds but touching it faults, at the end of the file")
    void touchPastEndFaults() {
        int g = sim.createShared(2);
        assertThat(sim.read(g, PAGE, 2 * PAGE)).isEqualTo(new Observation.HostFault(2 * PAGE));
        assertThat(sim.read(g, 5 * PAGE + 3, 1)).isEqualTo(new Observation.HostFault(5 * PAGE + 3));
    }

    @Test
    @DisplayName("6.18 (§4): a guest_memfd keeps working after its VM fd closes; a later create in that VM -> EBADF")
    void gmemOutlivesVm() {
        int g = sim.createShared(1);
        assertThat(sim.apply(new Operation.CloseVm(0))).isEqualTo(OK);
        assertThat(sim.write(g, 0, 8, 3)).isEqualTo(OK);
        assertThat(sim.read(g, 0, 8)).isEqualTo(Sim.read(8, 3));
        assertThat(sim.apply(new Operation.PunchHole(g, 0, PAGE))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.Create(0, PAGE, 0))).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.apply(new Operation.Create(1, PAGE, 0))).isEqualTo(new Observation.Created(1));
    }

    @Test
    @DisplayName("lead's semantics: a closed guest_memfd answers EBADF to every file operation")
    void closedGmemIsEbadf() {
        int g = sim.createShared(1);
        assertThat(sim.apply(new Operation.Close(g))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.Close(g))).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.read(g, 0, 8)).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.apply(new Operation.Stat(g))).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.apply(new Operation.PunchHole(g, 0, PAGE))).isEqualTo(failed(Errno.EBADF));
    }

    @Test
    @DisplayName("CONTRACT (gmem-mmap has no conversion call): Convert and guest requests are Unsupported with a reason")
    void gmemMmapHasNoConversion() {
        int g = sim.createShared(1);
        assertThat(sim.convert(g, 0, 1, dev.gmem.api.PageState.PRIVATE))
                .isEqualTo(new Observation.Unsupported("gmem-mmap has no conversion call"));
        assertThat(sim.apply(new Operation.GuestRequestConversion(Sim.gpa(g, 0), PAGE, dev.gmem.api.PageState.PRIVATE)))
                .isInstanceOf(Observation.Unsupported.class);
    }
}
