package dev.gmem.suite;

import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.Targets;
import dev.gmem.api.outcome.ExitStatus;

import java.util.List;

/**
 * The launcher's check before a run, with the run's own system properties: every option validated
 * (exit 2 and one line when one is bad: nothing has run, nothing is written), the target resolved
 * (exit 3 and one line when this machine cannot run it), then the run's first lines: the target,
 * the kernel release, and the editions detected with the facts that decided them.
 *
 * <p>{@code java -Dgmem.target=... -cp ... dev.gmem.suite.Preflight}
 */
public final class Preflight {
    private Preflight() {
    }

    public static void main(String[] args) {
        System.exit(run().code());
    }

    static ExitStatus run() {
        SuiteOptions options;
        List<Target> targets;
        try {
            options = SuiteOptions.fromSystem();
            targets = Targets.resolve(options.targetSpec());
        } catch (IllegalArgumentException e) {
            System.err.println("gmem-conformance: " + e.getMessage());
            return ExitStatus.USAGE;
        } catch (TargetException e) {
            System.err.println("gmem-conformance: " + e.getMessage());
            return e.isUnavailable() ? ExitStatus.CANNOT_RUN : ExitStatus.USAGE;
        }
        RunHeader.lines(options, targets).forEach(System.out::println);
        return ExitStatus.PASSED;
    }
}
