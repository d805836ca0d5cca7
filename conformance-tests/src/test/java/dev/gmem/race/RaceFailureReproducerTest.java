package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListeners;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.api.outcome.RaceThread;
import dev.gmem.api.outcome.ResultsFolder;
import dev.gmem.api.outcome.RunEnd;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.clauses.RaceClauses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end: a racy toy guest_memfd (a punch that zeroes after releasing its lock) fails RACE-2
 * through the clause runner; its outcome carries the shrunk concurrent case, and the report
 * listeners the suite tells (found by ServiceLoader, as in a run) write a concurrent C reproducer
 * for it and log the case with the outcome. The program compiles warning-free as C11 with pthreads
 * and, the case being host-side on gmem-mmap, runs here to a verdict within its time limit: this
 * machine's kernel does not have the toy's race, so no round shows an anomaly.
 */
class RaceFailureReproducerTest {
    private static final Edition EDITION = Edition.GMEM_MMAP;

    @Test
    void aRacyTargetsFailureGivesAConcurrentCReproducerThatCompilesAndRuns(@TempDir Path dir) throws Exception {
        ToyTarget target = new ToyTarget(ToyGmem.Flaw.PUNCH_ZEROES_AFTER_UNLOCK, EDITION);
        assertThat(RaceClauses.RACE_2.bindsEdition(EDITION)).isTrue();
        ClauseRunner.Decision d = ClauseRunner.run(target, RaceClauses.RACE_2, EDITION,
                RunConfig.of(14, 6000).withTimeBudget(Duration.ofSeconds(90)));
        ClauseOutcome outcome = d.outcome();
        assertThat(outcome.status()).as(d.message()).isEqualTo(Status.FAILED);
        RaceCase race = outcome.raceCase().orElseThrow(() -> new AssertionError("no concurrent case in\n" + d.message()));
        assertThat(race.threads()).hasSizeBetween(2, 3).allMatch(t -> t.role() == RaceThread.Role.HOST);
        assertThat(race.allowed()).as(race.noTable()).isNotEmpty();
        assertThat(race.prefix()).isNotEmpty().allMatch(s -> !s.diverged());
        assertThat(race.reruns()).isEqualTo(20);
        assertThat(d.message()).contains(race.rate());

        ResultsFolder results = new ResultsFolder(dir);
        OutcomeListeners listeners = OutcomeListeners.load(type -> !type.getSimpleName().equals("AllureWriter"));
        RunPlan plan = new RunPlan("race-e2e", "test", "6.18.0-test", outcome.seed(), Map.of(), Map.of(),
                List.of(new PlanItem(outcome.clauseId(), outcome.target(), outcome.edition())), dir);
        listeners.runStarted(plan);
        listeners.itemDecided(outcome);
        listeners.runFinished(RunEnd.of(plan, 1));
        assertThat(listeners.failed()).isFalse();

        List<Path> written;
        try (Stream<Path> files = Files.list(results.reproducers())) {
            written = files.toList();
        }
        assertThat(written).hasSize(1);
        Path c = written.get(0);
        assertThat(c.getFileName().toString()).isEqualTo("RACE-2-toy_punch-zeroes-after-unlock-gmem-mmap.c");
        String source = Files.readString(c);
        assertThat(source).contains("RACE-2: " + RaceClauses.RACE_2.sentence().substring(0, 20))
                .contains(race.rate()).contains("pthread_barrier_wait(&start)")
                .contains("#define THREADS " + race.threads().size()).contains("#define ROWS " + race.allowed().size());
        assertThat(Files.readString(results.outcomes())).contains("\"race\":{").contains("\"allowed\":[[");

        assumeTrue(run(dir, "gcc", "--version").exit() == 0, "skipped: no gcc");
        Path exe = dir.resolve("race-repro");
        Result gcc = run(dir, "gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-pthread", "-o", exe.toString(), c.toString());
        assertThat(gcc.exit()).as("gcc:\n" + gcc.output()).isZero();

        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")),
                "compiled only: /dev/kvm is missing");
        long start = System.nanoTime();
        Result r = run(dir, exe.toString(), "2");
        double seconds = (System.nanoTime() - start) / 1e9;
        assumeTrue(r.exit() != 4, () -> "skipped by the program: " + r.output());
        System.out.println("== " + c.getFileName() + " (" + source.lines().count() + " lines) on this kernel: " + r.output().strip()
                + "\n" + d.message());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).containsPattern("ok: no anomaly in \\d+ rounds");
        assertThat(seconds).as("its time limit, 2 s, and some slack").isLessThan(10);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
