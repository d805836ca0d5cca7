package dev.gmem.ci.report;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.api.outcome.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CReproducerTest {

    static List<Edition> editions() {
        return Edition.all();
    }

    static List<Step> sequenceFor(Edition edition) {
        return edition == Edition.GMEM_MMAP ? Sequences.gmemMmapEveryOperation()
                : Sequences.everyOperationAndObservation(edition);
    }

    @ParameterizedTest
    @MethodSource("editions")
    void theTestSequencesCoverEveryOperationKind(Edition edition) {
        Set<OperationKind> kinds = sequenceFor(edition).stream().map(s -> s.operation().kind())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(OperationKind.class)));
        assertThat(kinds).containsExactlyInAnyOrder(OperationKind.values());
    }

    @ParameterizedTest
    @MethodSource("editions")
    void everyOperationOfEveryEditionCompilesWithWallWerror(Edition edition, @TempDir Path dir) throws IOException {
        assumeTrue(CProgram.gccPresent(), "gcc is not installed (apt-get install gcc)");
        String source = CReproducer.generate(edition, sequenceFor(edition));
        assertThat(source).contains("in edition " + edition.name()).contains("int main(void)");
        Path exe = CProgram.compile(source, dir, "repro-" + edition.name());
        assertThat(exe).isExecutable();
    }

    @Test
    void guestStepsRunTheVcpu() {
        String source = CReproducer.generate(Edition.INPLACE_V8, Sequences.everyOperationAndObservation(Edition.INPLACE_V8));
        assertThat(source).contains("guest_run(GUEST_CODE + 0x10, (struct kvm_regs){ .rsi = 0x10000000, .rdx = 0x7 }, NULL);")
                .contains("guest_run(GUEST_CODE + 0x20, (struct kvm_regs){ .rax = KVM_HC_MAP_GPA_RANGE, .rbx = 0x10000000, "
                        + ".rcx = 1, .rdx = 0 }, hypercall_exit);")
                .contains("guest_start(kvm, vm[0], 0x50000000, exit_on_map_gpa_range(vm[0]));");
    }

    @Test
    void aStepTheTargetAnsweredDifferentlyButAllowedIsAcceptedEitherWay() {
        Observation zeros = new Observation.Read(dev.gmem.api.Bytes.zeros(8));
        Observation ones = new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 1));
        Step open = new Step(new Operation.HostRead(0, 0, 8, 0), zeros, "any 8 bytes", ones, false);
        String source = CReproducer.generate(Edition.INPLACE_V8, List.of(open));
        assertThat(source).contains("expect(1, \"HostRead[gmem=0, offset=0, length=8, view=0]\", \"Read[bytes=[8x00]]\", "
                + "\"Read[bytes=[8x01]]\");");
    }

    @Test
    void theGmemMmapSequenceMatchesThisKernel(@TempDir Path dir) throws IOException {
        assumeTrue(CProgram.gccPresent(), "gcc is not installed (apt-get install gcc)");
        assumeTrue(CProgram.kvmUsable(), "no usable /dev/kvm on this machine");
        Path exe = CProgram.compile(CReproducer.generate(Edition.GMEM_MMAP, Sequences.gmemMmapEveryOperation()),
                dir, "gmem-mmap");
        CProgram.Result r = CProgram.run(List.of(exe.toString()), dir);
        assertThat(r.output()).doesNotContain("expected");
        assertThat(r.exit()).as(r.output()).isZero();
        // the Convert the model answers Unsupported, and the probes written in Java only
        assertThat(r.output()).contains("(12 not performed) answered as the model expects");
    }

    @Test
    void aWrongExpectationIsReportedAtItsStepWithExitOne(@TempDir Path dir) throws IOException {
        assumeTrue(CProgram.gccPresent(), "gcc is not installed (apt-get install gcc)");
        assumeTrue(CProgram.kvmUsable(), "no usable /dev/kvm on this machine");
        List<Step> steps = new ArrayList<>(Sequences.gmemMmapEveryOperation().subList(0, 8));
        // the kernel really answers FileSize[65536] at step 6; claim 4096
        steps.set(5, Sequences.failing(new Operation.Stat(0), new Observation.FileSize(4096),
                new Observation.FileSize(Sequences.SIZE)));
        steps.add(Sequences.step(new Operation.Unpin(7), new Observation.Failed(Errno.EBADF)));
        Path exe = CProgram.compile(CReproducer.generate(Edition.GMEM_MMAP, steps), dir, "wrong");
        CProgram.Result r = CProgram.run(List.of(exe.toString()), dir);
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("step 6: Stat[gmem=0]: expected FileSize[size=4096], got FileSize[size=65536]")
                .doesNotContain("step 7:");
    }

    @Test
    void anEditionWhoseVmTypeThisKernelLacksIsSkippedWithKsftSkip(@TempDir Path dir) throws IOException {
        assumeTrue(CProgram.gccPresent(), "gcc is not installed (apt-get install gcc)");
        assumeTrue(CProgram.kvmUsable(), "no usable /dev/kvm on this machine");
        Path exe = CProgram.compile(CReproducer.generate(Edition.INPLACE_V8,
                Sequences.everyOperationAndObservation(Edition.INPLACE_V8)), dir, "inplace");
        CProgram.Result r = CProgram.run(List.of(exe.toString()), dir);
        // on a kernel with software-protected VMs the program runs its steps instead
        if (r.exit() == 4) {
            assertThat(r.output()).containsPattern("^SKIP: (no VM of type 1|no private memory)[^\n]*\n$");
        } else {
            assertThat(r.exit()).as(r.output()).isIn(0, 1);
            assertThat(r.output()).containsPattern("step \\d+:");
        }
    }
}
