package dev.gmem.ci.report;

import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.outcome.Answer;
import dev.gmem.api.outcome.RaceThread;
import dev.gmem.model.Expectation;
import dev.gmem.model.Interleavings;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The concurrent C reproducer: of a kernel-shaped host case (a punch, a host read and a pin of one
 * page, an unpin, on three threads) and, for every edition, of a case with vCPU threads (guest
 * loads and stores, a hypercall-driven conversion where the edition has one) racing the host's
 * conversion. Each compiles warning-free as C11 with pthreads and runs to a verdict within its time
 * limit here: no anomaly, or a skip naming what this kernel lacks; a round no row explains is
 * reported as the anomaly.
 */
class ConcurrentCReproducerTest {
    private static final Edition EDITION = Edition.GMEM_MMAP;

    private static final List<Operation> PREFIX = List.of(
            new Operation.Create(0, 2 * PAGE_SIZE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED),
            new Operation.HostWrite(0, 0, PAGE_SIZE, (byte) 0x11, 0),
            new Operation.Pin(0, PAGE_SIZE, PAGE_SIZE));
    private static final List<List<Operation>> THREADS = List.of(
            List.of(new Operation.PunchHole(0, 0, PAGE_SIZE)),
            List.of(new Operation.HostRead(0, 0, 8, 0), new Operation.Pin(0, 0, PAGE_SIZE)),
            List.of(new Operation.Unpin(0), new Operation.HostRead(0, PAGE_SIZE, PAGE_SIZE, 1)));

    /** A case made against the model: the prefix with its answers, threads answering as run one after another, the rows. */
    record Case(Edition edition, List<ConcurrentCReproducer.PrefixStep> prefix, List<RaceThread> threads,
                Set<List<Answer>> rows) {
        static Case of(Edition edition, List<Operation> prefix, List<List<Operation>> threads) {
            ReferenceModel model = ReferenceModel.of(edition);
            ModelState s = model.initial();
            List<ConcurrentCReproducer.PrefixStep> steps = new ArrayList<>();
            for (Operation op : prefix) {
                Expectation e = model.expect(s, op);
                steps.add(new ConcurrentCReproducer.PrefixStep(op, e.example()));
                s = e.next(e.example());
            }
            ModelState start = s;
            List<RaceThread> scripts = new ArrayList<>();
            for (List<Operation> ops : threads) {
                List<Observation> seen = new ArrayList<>();
                for (Operation op : ops) {
                    Expectation e = model.expect(s, op);
                    seen.add(e.example());
                    s = e.next(e.example());
                }
                boolean guest = ops.stream().anyMatch(op -> op.toString().startsWith("Guest"));
                scripts.add(new RaceThread(guest ? RaceThread.Role.VCPU : RaceThread.Role.HOST, ops, seen));
            }
            return new Case(edition, steps, scripts, Interleavings.outcomes(model, start, threads));
        }

        String program(Set<List<Answer>> table) {
            return ConcurrentCReproducer.generate(edition, prefix, threads, table,
                    List.of("RACE-n: a concurrent case of " + edition.name()));
        }

        String program() {
            return program(rows);
        }
    }

    private static Case hostCase() {
        return Case.of(EDITION, PREFIX, THREADS);
    }

    /**
     * Guest loads and stores on two vCPUs racing the host: a conversion to private of page 0 where
     * the edition converts (a host read where it does not), and a guest-requested conversion of page
     * 1 where the guest may ask for one.
     */
    // The load and the store touch different qwords: on this host's paravirtual KVM, an 8-byte guest load racing an
    // 8-byte store of another vCPU to the same qword was once seen torn (0x5a5a5a5a5a5a5a34 for 0x1234 over
    // 0x5a...), which the model rightly refuses; that is the host's emulation, not what this test is about.
    static Case guestCase(Edition e) {
        long gpa = GuestLayout.gpa(0, 0);
        List<Operation> prefix = List.of(
                new Operation.Create(0, 2 * PAGE_SIZE, sharedFlags(e)),
                Operation.Bind.canonical(0, 0, 0, 2 * PAGE_SIZE),
                new Operation.HostWrite(0, 0, PAGE_SIZE, (byte) 0x5a, 0));
        Operation host = e.converts() ? Operation.Convert.of(0, 0, PAGE_SIZE, PageState.PRIVATE) : new Operation.HostRead(0, 0, 8, 0);
        Operation second = e.guestRequestsConversion()
                ? new Operation.GuestRequestConversion(gpa + PAGE_SIZE, PAGE_SIZE, PageState.PRIVATE)
                : new Operation.GuestRead(gpa + PAGE_SIZE);
        return Case.of(e, prefix, List.of(
                List.of(host),
                List.of(new Operation.GuestRead(gpa), new Operation.GuestWrite(gpa + 8, 0x1234)),
                List.of(second, new Operation.GuestRead(gpa + 16))));
    }

    /** A mappable file whose pages start shared, as the race generator makes it. */
    private static long sharedFlags(Edition e) {
        long flags = e.mmapFlag();
        return e.initialState(flags) == PageState.SHARED ? flags : flags | e.initialFlipFlag();
    }

    static Stream<Edition> editions() {
        return Edition.all().stream();
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
        Set<List<Answer>> rows = hostCase().rows();
        // the read sees the written page or the punched one; the pin after it always succeeds
        assertThat(rows).hasSizeGreaterThan(1)
                .allMatch(r -> r.size() == 5 && r.get(2).equals(new Answer.Exactly(new Observation.Pinned(0))));
        assertThat(rows.stream().map(r -> r.get(1)).distinct()).hasSize(2);
    }

    @Test
    void compilesAsC11WithPthreadsAndRunsToItsTimeLimitWithoutAnAnomalyHere(@TempDir Path dir) throws Exception {
        assumeTrue(CProgram.gccPresent(), "skipped: no gcc");
        String source = hostCase().program();
        assertThat(source).contains("pthread_barrier_wait(&start)").contains("static void *thread2(void *arg)")
                .doesNotContain("vcpus_start").doesNotContain("op_convert");
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
        Case c = hostCase();
        List<Answer> wrong = new ArrayList<>(c.rows().iterator().next());
        wrong.set(1, new Answer.Exactly(new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 0x77))));
        CProgram.Result r = CProgram.run(List.of(compile(c.program(Set.of(wrong)), dir, "wrong").toString(), "5"), dir);
        assumeTrue(r.exit() != 4, () -> "skipped by the program: " + r.output());
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("not ok: round 1: no interleaving the model explains");
    }

    @ParameterizedTest
    @MethodSource("editions")
    void aCaseWithVcpuThreadsCompilesAndRunsToAVerdict(Edition e, @TempDir Path dir) throws Exception {
        Case c = guestCase(e);
        String source = c.program();
        assertThat(source).contains("vcpus_start(&w, VCPUS)").contains("#define VCPUS 2").contains("op_guest_read(w, 1, ");
        if (e.converts()) assertThat(source).contains("op_convert(w, 0, 0x0, 0x1000, 1");
        if (e.guestRequestsConversion()) assertThat(source).contains("op_guest_convert(w, 1, ").contains("hypercalls_exit(&w)");
        if (e.hostViewIsSeparate()) assertThat(source).contains("1 /* separate host view */");
        // only the sections the case uses
        assertThat(source).doesNotContain("op_fallocate").doesNotContain("op_mmap").doesNotContain("op_unpin");
        assumeTrue(CProgram.gccPresent(), "skipped: no gcc");
        Path exe = compile(source, dir, "race-" + e.name());
        assumeTrue(CProgram.kvmUsable(), "compiled only: /dev/kvm is missing");
        long start = System.nanoTime();
        CProgram.Result r = CProgram.run(List.of(exe.toString(), "2"), dir);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("== %s: %d rows, %d lines: exit %d in %.1f s: %s%n", e.name(), c.rows().size(),
                source.lines().count(), r.exit(), seconds, r.output().strip().replace('\n', '|'));
        assertThat(r.exit()).as(r.output()).isIn(0, 4);
        if (r.exit() == 4) assertThat(r.output().lines()).filteredOn(l -> !l.startsWith("# open:")).singleElement()
                .asString().startsWith("# SKIP: ");
        else assertThat(r.output()).containsPattern("ok: no anomaly in \\d+ rounds");
        assertThat(seconds).as("its time limit, 2 s, and some slack").isLessThan(10);
    }

    @Test
    void aGuestLoadNoRowExplainsIsReportedAsTheAnomaly(@TempDir Path dir) throws Exception {
        assumeTrue(CProgram.gccPresent() && CProgram.kvmUsable(), "skipped: no gcc or no /dev/kvm");
        // every row has the first guest load seeing a value nobody wrote
        Case c = guestCase(EDITION);
        Set<List<Answer>> wrong = new java.util.LinkedHashSet<>();
        for (List<Answer> row : c.rows()) {
            List<Answer> w = new ArrayList<>(row);
            w.set(1, new Answer.Exactly(new Observation.GuestValue(0x77)));
            wrong.add(w);
        }
        CProgram.Result r = CProgram.run(List.of(compile(c.program(wrong), dir, "wrong-guest").toString(), "5"), dir);
        assumeTrue(r.exit() != 4, () -> "skipped by the program: " + r.output());
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("not ok: round 1: no interleaving the model explains")
                .contains("GuestRead[gpa=268435456] -> guest value 0x5a5a5a5a5a5a5a5a");
    }

    /** Each operation a concurrent case may run, alone beside a host read: only its sections, and they compile with -Werror. */
    static Stream<org.junit.jupiter.params.provider.Arguments> singleOperations() {
        long gpa = GuestLayout.gpa(0, 0);
        List<Operation> host = List.of(new Operation.HostRead(0, 8, 8, 0), new Operation.HostWrite(0, 0, 8, (byte) 3, 0),
                new Operation.PunchHole(0, 0, PAGE_SIZE), new Operation.Allocate(0, 0, PAGE_SIZE, true),
                new Operation.Pin(0, 0, PAGE_SIZE), new Operation.Unpin(0), new Operation.Mmap(0, dev.gmem.api.MapKind.SHARED));
        List<Operation> guest = List.of(new Operation.GuestRead(gpa), new Operation.GuestWrite(gpa, 9),
                new Operation.GuestRequestConversion(gpa, PAGE_SIZE, PageState.PRIVATE));
        Stream<org.junit.jupiter.params.provider.Arguments> hosts = host.stream()
                .map(op -> org.junit.jupiter.params.provider.Arguments.of(Edition.GMEM_MMAP, op));
        Stream<org.junit.jupiter.params.provider.Arguments> conversions = Edition.where(Edition::converts).stream()
                .flatMap(e -> Stream.concat(Stream.of(Operation.Convert.of(0, 0, PAGE_SIZE, PageState.PRIVATE)),
                guest.stream()).map(op -> org.junit.jupiter.params.provider.Arguments.of(e, op)));
        return Stream.concat(hosts, conversions);
    }

    @ParameterizedTest
    @MethodSource("singleOperations")
    void eachOperationAloneTakesOnlyItsSectionsAndCompiles(Edition e, Operation op, @TempDir Path dir) throws Exception {
        List<Operation> prefix = new ArrayList<>(List.of(new Operation.Create(0, 2 * PAGE_SIZE, sharedFlags(e)),
                Operation.Bind.canonical(0, 0, 0, 2 * PAGE_SIZE)));
        if (op instanceof Operation.Unpin) prefix.add(new Operation.Pin(0, PAGE_SIZE, PAGE_SIZE));
        Case c = Case.of(e, prefix, List.of(List.of(op), List.of(new Operation.HostRead(0, 0, 8, 0))));
        String source = c.program();
        if (!(op instanceof Operation.PunchHole || op instanceof Operation.Allocate)) assertThat(source).doesNotContain("op_fallocate");
        if (!(op instanceof Operation.Pin || op instanceof Operation.Unpin)) assertThat(source).doesNotContain("vmsplice");
        if (!op.toString().startsWith("Guest")) assertThat(source).doesNotContain("KVM_RUN");
        assumeTrue(CProgram.gccPresent(), "skipped: no gcc");
        compile(source, dir, "single");
    }

    @Test
    void answersTheModelLeavesOpenAreStatedAndSaidToBeOpen(@TempDir Path dir) throws Exception {
        // inplace-v8 promises no content across a conversion: a read after converting back may see anything there
        long gpa = GuestLayout.gpa(0, 0);
        Case c = Case.of(Edition.INPLACE_V8, List.of(
                new Operation.Create(0, 2 * PAGE_SIZE, sharedFlags(Edition.INPLACE_V8)),
                Operation.Bind.canonical(0, 0, 0, 2 * PAGE_SIZE),
                new Operation.HostWrite(0, 0, PAGE_SIZE, (byte) 0x5a, 0),
                Operation.Convert.of(0, 0, PAGE_SIZE, PageState.PRIVATE)), List.of(
                List.of(Operation.Convert.of(0, 0, PAGE_SIZE, PageState.SHARED), new Operation.HostWrite(0, PAGE_SIZE, 8, (byte) 7, 0)),
                List.of(new Operation.HostRead(0, 0, 8, 0), new Operation.HostRead(0, PAGE_SIZE, 8, 0)),
                List.of(new Operation.GuestRead(gpa))));
        assertThat(c.rows()).anyMatch(row -> row.get(2) instanceof Answer.ReadOf r && r.runs().get(0).values().isEmpty());
        assertThat(c.rows()).anyMatch(row -> row.get(3) instanceof Answer.ReadOf r && r.runs().get(0).values().size() == 2);
        String source = c.program();
        assertThat(source).contains("Open answers").contains("static const struct run runs0[]")
                .contains("a read of bytes the model does not promise").contains("may be torn");
        assumeTrue(CProgram.gccPresent(), "skipped: no gcc");
        Path exe = compile(source, dir, "open");
        assumeTrue(CProgram.kvmUsable(), "compiled only: /dev/kvm is missing");
        CProgram.Result r = CProgram.run(List.of(exe.toString(), "1"), dir);
        assertThat(r.exit()).as(r.output()).isIn(0, 4);
        assertThat(r.output()).contains(r.exit() == 4 ? "# SKIP: " : "# open: a read of bytes the model does not promise");
    }
}
