package dev.gmem.suite;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.outcome.Status;
import dev.gmem.model.ModelTarget;
import dev.gmem.property.RunConfig;
import dev.gmem.suite.clauses.Catalogue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A clause a target cannot express is SKIPPED with its reason, never passed. */
class ClauseRunnerTest {
    private static final RunConfig CONFIG = RunConfig.of(5, 20);

    /** The model of {@code edition} as target {@code name}, each operation answered by {@code apply} (given the model's session). */
    private static Target model(Edition edition, String name, boolean noGuest, java.util.function.BiFunction<Session, Operation, Observation> apply) {
        ModelTarget model = new ModelTarget(edition);
        return new Target() {
            public String name() {
                return name;
            }

            public List<Edition> editions() {
                return List.of(edition);
            }

            public Capabilities capabilities(Edition e) {
                Capabilities all = model.capabilities(e);
                return noGuest ? all.without(OperationKind.GUEST_READ, "no vCPU on this machine")
                        .without(OperationKind.GUEST_WRITE, "no vCPU on this machine") : all;
            }

            public Session open(Edition e) {
                Session inner = model.open(e);
                return new Session() {
                    public Observation apply(Operation op) {
                        return apply.apply(inner, op);
                    }

                    public void close() {
                        inner.close();
                    }
                };
            }

            public Map<String, String> facts() {
                return Map.of("kvm", "absent");
            }
        };
    }

    /** The model of an edition, except that guest accesses answer Unsupported (no vCPU here). */
    private static Target withoutGuest(Edition edition, boolean declared) {
        return model(edition, "no-guest", declared, (inner, op) -> op instanceof Operation.GuestRead || op instanceof Operation.GuestWrite
                ? new Observation.Unsupported("KVM_RUN is not available") : inner.apply(op));
    }

    /** The model of an edition whose {@code apply} throws at the first guest write: a broken adapter. */
    private static Target throwingAtGuestWrite(Edition edition) {
        return model(edition, "throwing", false, (inner, op) -> {
            if (op instanceof Operation.GuestWrite) throw new IllegalStateException("vCPU fd vanished");
            return inner.apply(op);
        });
    }

    @Test
    void anExceptionFromApplyIsATargetErrorNeverAFailure() {
        Clause guest1 = Catalogue.byId("GUEST-1").orElseThrow();
        ClauseRunner.Decision d = ClauseRunner.run(throwingAtGuestWrite(Edition.INPLACE_V8), guest1, Edition.INPLACE_V8, CONFIG);
        assertThat(d.outcome().status()).isEqualTo(Status.TARGET_ERROR);
        assertThat(d.outcome().reason()).contains("target error: GUEST_WRITE threw").contains("vCPU fd vanished");
        assertThat(d.outcome().shrunk()).as("nothing to shrink: it is no counterexample").isEmpty();
    }

    @Test
    void anUnsupportedAnswerMidRunSkipsWithItsReason() {
        Clause guest1 = Catalogue.byId("GUEST-1").orElseThrow();
        ClauseRunner.Decision d = ClauseRunner.run(withoutGuest(Edition.INPLACE_V8, false), guest1, Edition.INPLACE_V8, CONFIG);
        assertThat(d.outcome().status()).isEqualTo(Status.SKIPPED);
        assertThat(d.outcome().reason()).contains("KVM_RUN is not available");
    }

    @Test
    void aDeclaredMissingOperationSkipsWithTheTargetsReason() {
        Clause guest1 = Catalogue.byId("GUEST-1").orElseThrow();
        ClauseRunner.Decision d = ClauseRunner.run(withoutGuest(Edition.INPLACE_V8, true), guest1, Edition.INPLACE_V8, CONFIG);
        assertThat(d.outcome().status()).isEqualTo(Status.SKIPPED);
        assertThat(d.outcome().reason()).containsPattern("GUEST_(READ|WRITE)").contains("no vCPU on this machine");
    }

    @Test
    void aClauseBindingNoEditionOfTheTargetSkipsNamingBothInOneLineWithoutTheTargetsFacts() {
        Clause conv1 = Catalogue.byId("CONV-1").orElseThrow();
        ClauseRunner.Decision d = ClauseRunner.run(withoutGuest(Edition.GMEM_MMAP, false), conv1, Edition.GMEM_MMAP, CONFIG);
        assertThat(d.outcome().status()).isEqualTo(Status.SKIPPED);
        String converting = String.join(", ", Edition.where(Edition::converts).stream().map(Edition::name).toList());
        assertThat(d.outcome().reason())
                .isEqualTo("CONV-1 binds " + converting + "; target no-guest speaks gmem-mmap");
    }

    @Test
    void theModelPassesItsOwnClauses() {
        Clause ref1 = Catalogue.byId("REF-1").orElseThrow();
        ClauseRunner.Decision d = ClauseRunner.run(new ModelTarget(Edition.RFC_V2_CONVERT), ref1, Edition.RFC_V2_CONVERT, CONFIG);
        assertThat(d.outcome().status()).isEqualTo(Status.PASSED);
        assertThat(d.outcome().statistics()).anyMatch(l -> l.contains("CONVERT_REFUSED_REFERENCED="));
        assertThat(d.outcome().statistics().get(0)).as("how many test cases the pass stands on").startsWith("test cases: 20 of 20 (");
    }

    @Test
    void aPassEndedByTheTimeBudgetSaysHowFewTestCasesItRan() {
        Clause seq = Catalogue.byId("SEQ").orElseThrow();
        RunConfig shortOfTime = RunConfig.of(5, 1_000_000).withTimeBudget(java.time.Duration.ofMillis(50));
        ClauseRunner.Decision d = ClauseRunner.run(new ModelTarget(Edition.VM_ATTRIBUTES), seq, Edition.VM_ATTRIBUTES, shortOfTime);
        assertThat(d.outcome().status()).isEqualTo(Status.PASSED);
        assertThat(d.outcome().statistics().get(0)).matches("test cases: \\d+ of 500000 \\(.*the time budget of 50 ms per property ended it: --time\\)");
    }

    /** The model of an edition, except that a guest's conversion request never exits to the host. */
    private static Target swallowingHypercalls(Edition edition) {
        return model(edition, "no-hypercall-exit", false,
                (inner, op) -> op instanceof Operation.GuestRequestConversion ? Observation.Ok.INSTANCE : inner.apply(op));
    }

    @Test
    void aFailingOptionalClauseHasAVerdictOfItsOwnAndARequiredOneFails() {
        Clause hcall1 = Catalogue.byId("HCALL-1").orElseThrow();
        Edition optional = Edition.where(e -> hcall1.level(e) == Clause.Level.OPTIONAL).get(0);
        Edition required = Edition.where(e -> hcall1.bindsEdition(e) && hcall1.level(e) == Clause.Level.REQUIRED).get(0);
        ClauseRunner.Decision o = ClauseRunner.run(swallowingHypercalls(optional), hcall1, optional, CONFIG);
        assertThat(o.outcome().status()).isEqualTo(Status.OPTIONAL_FAILED);
        assertThat(o.message()).contains("HCALL-1 (optional) failed on no-hypercall-exit");
        assertThat(o.outcome().shrunk()).isNotEmpty();
        ClauseRunner.Decision r = ClauseRunner.run(swallowingHypercalls(required), hcall1, required, CONFIG);
        assertThat(r.outcome().status()).isEqualTo(Status.FAILED);
    }
}
