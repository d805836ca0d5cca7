package dev.gmem.report;

import java.util.Optional;

/**
 * Labels the running Allure test (allure-junit5 on the test class path) with one
 * {@link ClauseOutcome}: behaviours read clause group → clause → edition; parameters target,
 * edition, kernel release and seed; the shrunk sequence as one Allure step per operation; the
 * seed, the replay command and the C reproducer attached. Call it from inside the Jupiter test
 * that decided the outcome, before the test ends.
 */
public final class AllureOutcome {
    private AllureOutcome() {
    }

    /** Publishes {@code outcome}, with this machine's kernel release ({@code uname -r}). */
    public static void publish(ClauseOutcome outcome, Optional<String> cReproducer) {
        publish(outcome, KernelRelease.current(), cReproducer);
    }

    /** Publishes {@code outcome} for a run on the kernel {@code kernelRelease}. */
    public static void publish(ClauseOutcome outcome, String kernelRelease, Optional<String> cReproducer) {
        throw new UnsupportedOperationException("filled in by the reports work");
    }
}
