package dev.gmem.api.outcome;

import java.util.Optional;

/**
 * The picture of a concurrent history inside a failure message (one column per thread, time going
 * down), between two marker lines, so that a report can show it on its own (Allure: an attachment).
 */
public final class HistoryText {
    static final String BEGIN = "--- history: one column per thread, time going down ---";
    static final String END = "--- end of history ---";

    private HistoryText() {
    }

    /** {@code picture} between the marker lines, for a failure message. */
    public static String wrap(String picture) {
        return BEGIN + "\n" + picture + (picture.endsWith("\n") ? "" : "\n") + END + "\n";
    }

    /** The first picture wrapped in {@code message}, if any. */
    public static Optional<String> in(String message) {
        int from = message.indexOf(BEGIN);
        if (from < 0) return Optional.empty();
        int start = from + BEGIN.length() + 1;
        int end = message.indexOf(END, start);
        if (end < 0 || start > end) return Optional.empty();
        return Optional.of(message.substring(start, end));
    }
}
