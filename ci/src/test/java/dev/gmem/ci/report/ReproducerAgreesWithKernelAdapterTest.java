package dev.gmem.ci.report;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;
import dev.gmem.api.outcome.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The C reproducer and the kernel adapter observe the running kernel the same way: a sequence
 * covering every operation goes through the adapter, the adapter's observations become the
 * reproducer's expectations, and the compiled program must match every one of them.
 */
class ReproducerAgreesWithKernelAdapterTest {

    @Test
    void everyGmemMmapOperationObservedByTheAdapterIsObservedAlikeByTheReproducer(@TempDir Path dir)
            throws IOException, TargetException {
        assumeTrue(CProgram.gccPresent(), "gcc is not installed (apt-get install gcc)");
        assumeTrue(CProgram.kvmUsable(), "no usable /dev/kvm on this machine");
        Target kernel = Targets.resolve("kernel:gmem-mmap").get(0);
        List<Step> observed = new ArrayList<>();
        int unsupported = 0;
        try (Session session = kernel.open(Edition.GMEM_MMAP)) {
            for (Step planned : Sequences.gmemMmapEveryOperation()) {
                Operation op = planned.operation();
                Observation seen = session.apply(op);
                if (seen instanceof Observation.Unsupported) {
                    unsupported++;
                } else {
                    // the hand-derived expectations of the other tests are the adapter's observations
                    assertThat(seen).as("adapter on " + op).isEqualTo(planned.expected());
                }
                observed.add(Sequences.step(op, seen));
            }
        }
        assertThat(unsupported).as("steps the adapter could not perform").isLessThan(observed.size() / 4);
        Path exe = CProgram.compile(CReproducer.generate(Edition.GMEM_MMAP, observed), dir, "agree");
        CProgram.Result r = CProgram.run(List.of(exe.toString()), dir);
        assertThat(r.output()).as("the reproducer's account").doesNotContain("expected");
        assertThat(r.exit()).as(r.output()).isZero();
    }
}
