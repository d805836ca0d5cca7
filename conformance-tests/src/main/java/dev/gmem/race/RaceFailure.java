package dev.gmem.race;

import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.outcome.Answer;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.api.outcome.RaceThread;
import dev.gmem.api.outcome.Step;
import dev.gmem.model.Expectation;
import dev.gmem.model.Interleavings;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A concurrent case that fails: its history is not linearizable (or undecided), or the run aborted
 * (the prefix diverged from the model, a thread hung). {@code history} and {@code verdict} are null
 * for an aborted run.
 */
public record RaceFailure(Kind kind, ConcurrentCase testCase, History history, Verdict verdict, String detail) {

    public enum Kind { NOT_LINEARIZABLE, UNDECIDED, ABORTED }

    /** The case, the picture of its history and why the checker rejected it. */
    public String describe() {
        StringBuilder b = new StringBuilder(testCase.describe()).append('\n');
        if (history != null) b.append(HistoryPicture.render(history, verdict));
        if (detail != null && !detail.isEmpty()) b.append(detail).append('\n');
        return b.toString();
    }

    /**
     * The failure as the reports carry it (its prefix, its threads as this run resolved them, the
     * answers the model explains), rerun {@code failed} of {@code reruns} times; empty for an aborted run.
     */
    public Optional<RaceCase> reported(ReferenceModel model, int reruns, int failed) {
        if (history == null) return Optional.empty();
        List<Step> prefix = new ArrayList<>();
        ModelState state = model.initial();
        for (int i = 0; i < history.prefix().size(); i++) {
            Operation op = history.prefix().get(i);
            Observation seen = history.prefixAnswers().get(i);
            Expectation e = model.expect(state, op);
            prefix.add(new Step(op, seen, e.describe(), seen, false));
            state = e.next(seen);
        }
        List<RaceThread> threads = new ArrayList<>();
        List<List<Operation>> operations = new ArrayList<>();
        for (int t = 0; t < history.threads(); t++) {
            int thread = t;
            List<Call> calls = history.calls().stream().filter(c -> c.thread() == thread)
                    .sorted(Comparator.comparingInt(Call::index)).toList();
            List<Operation> ops = calls.stream().map(Call::operation).toList();
            operations.add(ops);
            threads.add(new RaceThread(RaceThread.Role.valueOf(history.roles().get(t).name()), ops,
                    calls.stream().map(Call::observation).toList()));
        }
        List<List<Answer>> allowed = List.of();
        String noTable = "";
        try {
            allowed = List.copyOf(Interleavings.outcomes(model, history.start(), operations));
        } catch (IllegalArgumentException e) {
            noTable = e.getMessage();
        }
        return Optional.of(new RaceCase(prefix, threads, allowed, noTable, reruns, failed));
    }
}
