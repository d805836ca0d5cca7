package dev.gmem.suite;

import dev.gmem.api.outcome.Step;

import java.util.List;

/** Prints a sequence of steps, one operation a line, with the observation expected and the one seen. */
public final class StepLines {
    private StepLines() {
    }

    public static String render(List<Step> steps) {
        StringBuilder b = new StringBuilder();
        int n = 1;
        for (Step s : steps) {
            b.append(String.format("  %2d. %s%n      expected %s, seen %s%s%n", n++, s.operation(), s.allowed(), s.seen(),
                    s.diverged() ? "   <-- diverges" : ""));
        }
        return b.toString();
    }
}
