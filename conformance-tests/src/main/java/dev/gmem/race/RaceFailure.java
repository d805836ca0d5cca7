package dev.gmem.race;

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
}
