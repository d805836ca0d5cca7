package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit decoding from a fake kvm_run page. */
class ExitDecoderTest {
    private Memory run;

    @BeforeEach
    void page() {
        run = new Memory(Structs.Run.MIN_SIZE);
        run.clear();
    }

    @AfterEach
    void free() {
        run.close();
    }

    private VcpuExit decode(int reason, int rc, int errno) {
        run.setInt(Structs.Run.EXIT_REASON, reason);
        return ExitDecoder.decode(rc, errno, run);
    }

    private static Observation ended(VcpuExit e) {
        assertThat(e).isInstanceOf(VcpuExit.Ended.class);
        return ((VcpuExit.Ended) e).observation();
    }

    @Test
    void anOutToTheReportPortIsTheGuestReporting() {
        run.setByte(Structs.Run.IO_DIRECTION, (byte) Kvm.EXIT_IO_OUT);
        run.setShort(Structs.Run.IO_PORT, (short) ExitDecoder.REPORT_PORT);
        assertThat(decode(Kvm.EXIT_IO, 0, 0)).isInstanceOf(VcpuExit.Reported.class);
    }

    @Test
    void otherIoIsAnOtherExitNamingThePort() {
        run.setByte(Structs.Run.IO_DIRECTION, (byte) Kvm.EXIT_IO_IN);
        run.setShort(Structs.Run.IO_PORT, (short) 0x3f8);
        assertThat(ended(decode(Kvm.EXIT_IO, 0, 0))).isEqualTo(new Observation.OtherExit("IO exit on port 0x3f8 (in)"));
    }

    @Test
    void mmioCarriesAddressAndDirection() {
        run.setLong(Structs.Run.MMIO_PHYS_ADDR, 0x1234_5000L);
        run.setByte(Structs.Run.MMIO_IS_WRITE, (byte) 1);
        assertThat(ended(decode(Kvm.EXIT_MMIO, 0, 0))).isEqualTo(new Observation.MmioExit(0x1234_5000L, true));
        run.setByte(Structs.Run.MMIO_IS_WRITE, (byte) 0);
        assertThat(ended(decode(Kvm.EXIT_MMIO, 0, 0))).isEqualTo(new Observation.MmioExit(0x1234_5000L, false));
    }

    @Test
    void aMemoryFaultComesWithMinusOneAndEfault() {
        run.setLong(Structs.Run.MEMORY_FAULT_FLAGS, Kvm.MEMORY_EXIT_FLAG_PRIVATE);
        run.setLong(Structs.Run.MEMORY_FAULT_GPA, 0x1000_2000L);
        run.setLong(Structs.Run.MEMORY_FAULT_SIZE, 4096);
        assertThat(ended(decode(Kvm.EXIT_MEMORY_FAULT, -1, Errnos.EFAULT)))
                .isEqualTo(new Observation.MemoryFaultExit(0x1000_2000L, 4096, true));
        run.setLong(Structs.Run.MEMORY_FAULT_FLAGS, 0);
        assertThat(ended(decode(Kvm.EXIT_MEMORY_FAULT, -1, Errnos.EHWPOISON)))
                .isEqualTo(new Observation.MemoryFaultExit(0x1000_2000L, 4096, false));
    }

    @Test
    void efaultWithoutAMemoryFaultExitIsAFailedRun() {
        Observation o = ended(decode(Kvm.EXIT_MMIO, -1, Errnos.EFAULT));
        assertThat(o).isEqualTo(new Observation.OtherExit("KVM_RUN failed with EFAULT (exit reason 6)"));
    }

    @Test
    void hypercallCarriesItsArguments() {
        run.setLong(Structs.Run.HYPERCALL_NR, Kvm.HC_MAP_GPA_RANGE);
        run.setLong(Structs.Run.HYPERCALL_ARGS, 0x1000_0000L);
        run.setLong(Structs.Run.HYPERCALL_ARGS + 8, 3);
        run.setLong(Structs.Run.HYPERCALL_ARGS + 16, Kvm.MAP_GPA_RANGE_ENCRYPTED);
        assertThat(decode(Kvm.EXIT_HYPERCALL, 0, 0))
                .isEqualTo(new VcpuExit.Hypercall(12, 0x1000_0000L, 3, Kvm.MAP_GPA_RANGE_ENCRYPTED));
    }

    @Test
    void aHypercallKvmAnswersItselfIsItsErrno() {
        assertThat(GuestRunner.answeredInKernel(-22)).isEqualTo(new Observation.Failed(dev.gmem.api.Errno.EINVAL));
        assertThat(GuestRunner.answeredInKernel(0)).isInstanceOf(Observation.OtherExit.class);
        assertThat(GuestRunner.answeredInKernel(-1000)).isEqualTo(new Observation.OtherExit(
                "KVM_HC_MAP_GPA_RANGE failed with errno 1000, outside the API's errno set"));
    }

    @Test
    void interruptionsAreNotEnds() {
        assertThat(decode(Kvm.EXIT_INTR, -1, Errnos.EINTR)).isInstanceOf(VcpuExit.Interrupted.class);
        assertThat(decode(Kvm.EXIT_INTR, 0, 0)).isInstanceOf(VcpuExit.Interrupted.class);
    }

    @Test
    void everyOtherEndIsNamed() {
        assertThat(ended(decode(Kvm.EXIT_HLT, 0, 0))).isEqualTo(new Observation.OtherExit("HLT before the guest reported"));
        assertThat(ended(decode(Kvm.EXIT_SHUTDOWN, 0, 0))).isEqualTo(new Observation.OtherExit("SHUTDOWN (triple fault)"));
        run.setInt(Structs.Run.INTERNAL_SUBERROR, 1);
        assertThat(ended(decode(Kvm.EXIT_INTERNAL_ERROR, 0, 0)))
                .isEqualTo(new Observation.OtherExit("INTERNAL_ERROR suberror 1"));
        run.setLong(Structs.Run.FAIL_ENTRY_REASON, 0x21);
        assertThat(ended(decode(Kvm.EXIT_FAIL_ENTRY, 0, 0)))
                .isEqualTo(new Observation.OtherExit("FAIL_ENTRY hardware reason 0x21"));
        assertThat(ended(decode(77, 0, 0))).isEqualTo(new Observation.OtherExit("unexpected exit reason 77"));
        assertThat(ended(decode(Kvm.EXIT_IO, -1, Errnos.EINVAL)))
                .isEqualTo(new Observation.OtherExit("KVM_RUN failed with EINVAL (exit reason 2)"));
    }
}
