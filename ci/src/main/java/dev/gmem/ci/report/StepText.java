package dev.gmem.ci.report;

import dev.gmem.api.outcome.Step;

/** One step of a shrunk sequence in words, the same in every report. */
final class StepText {
    private StepText() {
    }

    /** A message's first line: the one the summaries quote (the steps follow in their own list). */
    static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    static String line(int number, Step step) {
        StringBuilder s = new StringBuilder();
        s.append(number).append(". ").append(step.operation()).append(" → ");
        if (step.diverged()) {
            s.append("seen ").append(step.seen()).append(", allowed ").append(step.allowed()).append("   ← diverges");
        } else {
            s.append(step.seen());
        }
        return s.toString();
    }
}
