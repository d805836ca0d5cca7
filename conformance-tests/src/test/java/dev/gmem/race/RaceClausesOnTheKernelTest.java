package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;
import dev.gmem.api.outcome.Status;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.Clause;
import dev.gmem.suite.ClauseRunner;
import dev.gmem.suite.clauses.RaceClauses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The RACE clauses for real against this machine's /dev/kvm (on the 6.18 hosts: host-side races of
 * punches, host accesses, pins and mmap, and guest accesses on two vCPUs), skipped with the reason
 * without /dev/kvm. A correct kernel must pass every clause that binds an edition it speaks.
 */
class RaceClausesOnTheKernelTest {
    private static Target kernel;

    @BeforeAll
    static void kernel() {
        assumeTrue(Files.exists(Path.of("/dev/kvm")), "skipped: /dev/kvm is missing (load kvm or run inside ci/vm-run)");
        try {
            kernel = Targets.resolve("kernel").get(0);
        } catch (TargetException e) {
            assumeTrue(false, "skipped: " + e.getMessage());
        }
        assumeTrue(kernel.threadSafeSessions(), "the kernel target says its sessions are not thread-safe");
    }

    @Test
    void everyRaceClauseThatBindsPassesOnThisKernel() {
        List<String> passed = new ArrayList<>();
        for (Edition e : kernel.editions()) {
            for (Clause c : RaceClauses.ALL) {
                RunConfig config = RunConfig.of(Long.getLong("gmem.race.seed", 14), Integer.getInteger("gmem.race.tries", 40)).withTimeBudget(Duration.ofSeconds(30));
                ClauseRunner.Decision d = ClauseRunner.run(kernel, c, e, config);
                Status s = d.outcome().status();
                assertThat(s).as(c.id() + " on " + e.name() + ":\n" + d.message()).isIn(Status.PASSED, Status.SKIPPED);
                if (s == Status.SKIPPED) {
                    assertThat(c.bindsEdition(e)).as(c.id() + " binds " + e.name() + " but was skipped: " + d.message()).isFalse();
                } else {
                    passed.add(c.id() + "/" + e.name());
                    System.out.println(c.id() + " passed on " + e.name() + ": " + d.outcome().statistics());
                }
            }
        }
        assertThat(passed).as("RACE clauses that ran on " + kernel.editions()).isNotEmpty();
    }

    @Test
    void guestAccessesOnTwoVcpusRacingHostOperationsAreLinearizable() {
        assumeTrue(kernel.editions().stream().anyMatch(e -> kernel.capabilities(e).supports(dev.gmem.api.OperationKind.GUEST_READ)),
                "skipped: this kernel runs no test guest");
        Edition e = kernel.editions().stream()
                .filter(x -> kernel.capabilities(x).supports(dev.gmem.api.OperationKind.GUEST_READ)).findFirst().orElseThrow();
        Mix twoVcpus = new Mix("two-vcpus", java.util.Set.of(dev.gmem.api.OperationKind.PUNCH_HOLE,
                dev.gmem.api.OperationKind.HOST_WRITE, dev.gmem.api.OperationKind.HOST_READ),
                java.util.Set.of(dev.gmem.api.OperationKind.GUEST_READ, dev.gmem.api.OperationKind.GUEST_WRITE));
        CaseGen gen = new CaseGen(e, kernel.capabilities(e), twoVcpus, 4, 4);
        int twoVcpuCases = 0;
        RaceConfig config = RaceConfig.of(41);
        for (int i = 0; i < 200 && twoVcpuCases < 15; i++) {
            ConcurrentCase c = gen.generate(config.caseSeed(i));
            if (c.roles().stream().filter(r -> r == ThreadScript.Role.VCPU).count() < 2) continue;
            twoVcpuCases++;
            RaceRun.Replay r;
            try {
                r = RaceRun.replay(kernel, e, c, 3);
            } catch (TargetException x) {
                throw new AssertionError(x);
            }
            assertThat(r.failed()).as(r + "\n" + r.first().map(RaceFailure::describe).orElse("")).isZero();
        }
        assertThat(twoVcpuCases).as("cases with two vCPU threads").isGreaterThan(5);
    }
}
