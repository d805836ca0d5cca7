package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.OutcomeListener;
import dev.gmem.api.outcome.RunPlan;
import dev.gmem.api.outcome.Status;

import java.util.Optional;

/**
 * Labels the running Allure test with the outcome it decided (see {@link AllureOutcome}). Does
 * nothing where Allure is not on the class path or no Allure test is running ({@code ci/report}'s replay).
 */
public final class AllureWriter implements OutcomeListener {
    private static final boolean ALLURE_PRESENT = present("io.qameta.allure.Allure");

    private String kernelRelease = "";
    private CReproducer.Provenance provenance = CReproducer.Provenance.UNKNOWN;

    @Override
    public void runStarted(RunPlan plan) {
        kernelRelease = plan.kernelRelease();
        provenance = new CReproducer.Provenance(plan.kernelRelease(), plan.kitVersion());
    }

    @Override
    public void itemDecided(ClauseOutcome outcome) {
        if (!ALLURE_PRESENT) return;
        Optional<String> c = outcome.status() == Status.FAILED ? CReproducers.of(outcome, provenance) : Optional.empty();
        AllureOutcome.publish(outcome, kernelRelease, c);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, AllureWriter.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
