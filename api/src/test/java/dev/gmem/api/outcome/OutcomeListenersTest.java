package dev.gmem.api.outcome;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutcomeListenersTest {
    static final RunPlan PLAN = new RunPlan("r1", "test", "6.18.0", 7, Map.of("target", "model"), Map.of(),
            List.of(new PlanItem("CONV-3", "model:inplace-v8", "inplace-v8"), new PlanItem("SEQ", "model:inplace-v8", "inplace-v8")),
            Path.of("results"));
    static final ClauseOutcome OUTCOME = new ClauseOutcome("CONV-3", "CONV", "a sentence", List.of(), "model:inplace-v8",
            "inplace-v8", Status.PASSED, "", 7, "", List.of(), List.of());

    /** Remembers every call it got. */
    static final class Recording implements OutcomeListener {
        final List<String> calls = new ArrayList<>();

        @Override
        public void runStarted(RunPlan plan) {
            calls.add("started " + plan.runId());
        }

        @Override
        public void itemDecided(ClauseOutcome outcome) {
            calls.add("decided " + outcome.clauseId());
        }

        @Override
        public void runFinished(RunEnd end) {
            calls.add("finished " + end.completed());
        }
    }

    /** Throws on every call. */
    static final class Throwing implements OutcomeListener {
        @Override
        public void runStarted(RunPlan plan) {
            throw new IllegalStateException("disk full");
        }

        @Override
        public void itemDecided(ClauseOutcome outcome) {
            throw new IllegalStateException("still full");
        }

        @Override
        public void runFinished(RunEnd end) {
            throw new AssertionError("an Error too");
        }
    }

    @Test
    void aThrowingListenerIsReportedOnceInOneLineAndTheOthersGoOn() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Recording before = new Recording();
        Recording after = new Recording();
        OutcomeListeners listeners = new OutcomeListeners(List.of(before, new Throwing(), after),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        listeners.runStarted(PLAN);
        listeners.itemDecided(OUTCOME);
        listeners.itemDecided(OUTCOME);
        listeners.runFinished(RunEnd.of(PLAN, 2));

        List<String> expected = List.of("started r1", "decided CONV-3", "decided CONV-3", "finished true");
        assertThat(before.calls).isEqualTo(expected);
        assertThat(after.calls).isEqualTo(expected);
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(1);
        assertThat(lines[0]).contains(Throwing.class.getName()).contains("runStarted").contains("disk full");
        assertThat(listeners.failed()).isTrue();
    }

    @Test
    void aVirtualMachineErrorIsNotSwallowed() {
        OutcomeListener oom = new OutcomeListener() {
            @Override
            public void itemDecided(ClauseOutcome outcome) {
                throw new OutOfMemoryError("test");
            }
        };
        OutcomeListeners listeners = new OutcomeListeners(List.of(oom), System.err);
        assertThatThrownBy(() -> listeners.itemDecided(OUTCOME)).isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void aRunEndSaysWhetherEveryPlannedItemWasDecided() {
        assertThat(RunEnd.of(PLAN, 2)).isEqualTo(new RunEnd("r1", true, 2, 2));
        assertThat(RunEnd.of(PLAN, 1).completed()).isFalse();
    }

    @Test
    void withNoListenerOnTheClassPathNothingHappens() {
        OutcomeListeners listeners = OutcomeListeners.load();
        assertThat(listeners.listeners()).isEmpty();
        listeners.runStarted(PLAN);
        assertThat(listeners.failed()).isFalse();
    }

    @Test
    void theTimeEachListenerTookIsKeptByItsName() {
        OutcomeListener slow = new OutcomeListener() {
            @Override
            public void runStarted(RunPlan plan) {
            }

            @Override
            public void itemDecided(ClauseOutcome outcome) {
                long until = System.nanoTime() + 20_000_000;
                while (System.nanoTime() < until) Thread.onSpinWait();
            }

            @Override
            public void runFinished(RunEnd end) {
            }
        };
        OutcomeListeners all = new OutcomeListeners(List.of(new Recording(), new Throwing(), slow), new PrintStream(new ByteArrayOutputStream()));
        all.runStarted(PLAN);
        all.itemDecided(OUTCOME);
        Map<String, Long> nanos = all.nanosByListener();
        assertThat(nanos).containsKeys("Recording", "Throwing");
        // the anonymous listener has no simple name of its own: its time is under "" and at least its 20 ms
        assertThat(nanos.get("")).isGreaterThanOrEqualTo(20_000_000L);
        assertThat(nanos.get("Recording")).isLessThan(nanos.get(""));
    }
}
