package dev.gmem.ci.report;

import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.Expectation;
import dev.gmem.model.Interleavings;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The concurrent C reproducer of a kernel-shaped case (a punch, a host read and a pin of one page,
 * an unpin, on three threads): it compiles warning-free as C11 with pthreads, runs to its time
 * limit on a correct kernel without an anomaly, and reports the first round no allowed row
 * explains.
 */
class ConcurrentCReproducerTest {
    private static final Edition EDITION = Edition.GMEM_MMAP;
    private static final ReferenceModel MODEL = ReferenceModel.of(EDITION);

    private static final List<Operation> PREFIX = List.of(
            new Operation.Create(0, 2 * PAGE_SIZE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED),
            new Operation.HostWrite(0, 0, PAGE_SIZE, (byte) 0x11, 0),
            new Operation.Pin(0, PAGE_SIZE, PAGE_SIZE));
    private static final List<List<Operation>> THREADS = List.of(
            List.of(new Operation.PunchHole(0, 0, PAGE_SIZE)),
            List.of(new Operation.HostRead(0, 0, 8, 0), new Operation.Pin(0, 0, PAGE_SIZE)),
            List.of(new Operation.Unpin(0), new Operation.HostRead(0, PAGE_SIZE, PAGE_SIZE, 1)));

    private static List<ConcurrentCReproducer.PrefixStep> prefix(ModelState[] after) {
        ModelState s = MODEL.initial();
        List<ConcurrentCReproducer.PrefixStep> out = new ArrayList<>();
        for (Operation op : PREFIX) {
            Expectation e = MODEL.expect(s, op);
            out.add(new ConcurrentCReproducer.PrefixStep(op, e.example()));
            s = e.next(e.example());
        }
        after[0] = s;
        return out;
    }

    private static String program(Set<List<Observation>> rows) {
        return ConcurrentCReproducer.generate(EDITION, prefix(new ModelState[1]), THREADS, rows,
                List.of("RACE-2: a punch hole and host reads of its range are linearizable"));
    }

    private static Set<List<Observation>> allowed() {
        ModelState[] after = new ModelState[1];
        prefix(after);
        return Interleavings.outcomes(MODEL, after[0], THREADS);
    }

    private static Path compile(String source, Path dir, String name) throws Exception {
        Path c = dir.resolve(name + ".c");
        Path exe = dir.resolve(name);
        Files.writeString(c, source);
        CProgram.Result r = CProgram.run(List.of("gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
                "-o", exe.toString(), c.toString()), dir);
        assertThat(r.exit()).as("gcc:\n" + r.output()).isZero();
        return exe;
    }

    @Test
    void theRowsAreTheInterleavingsTheModelExplains() {
        Set<List<Observation>> rows = allowed();
        // the read sees the written page or the punched one; the pin after it always succeeds
        assertThat(rows).hasSizeGreaterThan(1).allMatch(r -> r.size() == 5 && r.get(2) instanceof Observation.Pinned);
        assertThat(rows.stream().map(r -> r.get(1)).distinct()).hasSize(2);
    }

    @Test
    void compilesAsC11WithPthreadsAndRunsToItsTimeLimitWithoutAnAnomalyHere(@TempDir Path dir) throws Exception {
        assumeTrue(CProgram.gccPresent(), "skipped: no gcc");
        String source = program(allowed());
        assertThat(source).contains("pthread_barrier_wait(&start)").contains("static void *thread2(void *arg)");
        Path exe = compile(source, dir, "race");
        assumeTrue(CProgram.kvmUsable(), "skipped: /dev/kvm is missing (compiled only)");
        CProgram.Result r = CProgram.run(List.of(exe.toString(), "2"), dir);
        assumeTrue(r.exit() != 4, () -> "skipped by the program: " + r.output());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).containsPattern("ok: no anomaly in \\d+ rounds");
    }

    @Test
    void aRoundNoRowExplainsIsReportedAsTheAnomaly(@TempDir Path dir) throws Exception {
        assumeTrue(CProgram.gccPresent() && CProgram.kvmUsable(), "skipped: no gcc or no /dev/kvm");
        // a table whose only row has the read seeing bytes nobody wrote
        List<Observation> wrong = new ArrayList<>(allowed().iterator().next());
        wrong.set(1, new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 0x77)));
        CProgram.Result r = CProgram.run(List.of(compile(program(Set.of(wrong)), dir, "wrong").toString(), "5"), dir);
        assumeTrue(r.exit() != 4, () -> "skipped by the program: " + r.output());
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("not ok: round 1: no interleaving the model explains");
    }
}
