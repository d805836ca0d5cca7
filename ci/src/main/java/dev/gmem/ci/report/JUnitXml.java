package dev.gmem.ci.report;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.PlanItem;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.TestIdentity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run as JUnit XML ({@code junit.xml}), the form every CI dashboard reads: one testsuite per
 * clause group, one testcase per clause × target × edition named by its {@link TestIdentity}
 * (classname {@code gmem.CONV}, name {@code CONV-3 [kernel:vm-attributes]}, the same whatever was
 * selected), skip reasons in {@code message}; a planned item the run did not decide is an
 * {@code error} of type {@code interrupted}, a timed-out one an {@code error} of type {@code timeout}, a
 * target error one of type {@code target-error}.
 */
final class JUnitXml {
    private JUnitXml() {
    }

    private record Case(TestIdentity id, ClauseOutcome outcome) {
    }

    static String render(RunReport run) {
        Map<String, List<Case>> groups = new LinkedHashMap<>();
        for (ClauseOutcome o : run.outcomes()) {
            TestIdentity id = TestIdentity.of(o);
            groups.computeIfAbsent(id.className(), g -> new ArrayList<>()).add(new Case(id, o));
        }
        for (PlanItem i : run.undecided()) {
            TestIdentity id = TestIdentity.of(i);
            groups.computeIfAbsent(id.className(), g -> new ArrayList<>()).add(new Case(id, null));
        }
        String interrupted = "interrupted: not decided (" + run.interruption().orElse("") + ")";
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        int[] all = counts(groups.values().stream().flatMap(List::stream).toList());
        x.append("<testsuites name=\"gmem-conformance\"").append(countAttributes(all)).append(">\n");
        for (Map.Entry<String, List<Case>> g : groups.entrySet()) {
            x.append("  <testsuite name=\"").append(attr(g.getKey())).append('"').append(countAttributes(counts(g.getValue())))
                    .append(">\n");
            x.append("    <properties>\n");
            property(x, "runId", run.plan().runId());
            property(x, "kernelRelease", run.kernelRelease());
            property(x, "seed", Long.toString(run.seed()));
            run.plan().kernelNotTested().ifPresent(why -> property(x, "kernelNotTested", why));
            run.interruption().ifPresent(line -> property(x, "interrupted", line));
            x.append("    </properties>\n");
            for (Case c : g.getValue()) testcase(x, c, interrupted);
            x.append("  </testsuite>\n");
        }
        x.append("</testsuites>\n");
        return x.toString();
    }

    private static void testcase(StringBuilder x, Case c, String interrupted) {
        x.append("    <testcase classname=\"").append(attr(c.id().className())).append("\" name=\"").append(attr(c.id().name()))
                .append('"');
        ClauseOutcome o = c.outcome();
        if (o == null) {
            x.append(">\n      <error type=\"interrupted\" message=\"").append(attr(interrupted)).append("\"/>\n    </testcase>\n");
            return;
        }
        String first = StepText.firstLine(o.reason());
        switch (o.status()) {
            case PASSED -> x.append("/>\n");
            case SKIPPED -> x.append(">\n      <skipped message=\"").append(attr(first)).append("\"/>\n    </testcase>\n");
            case OPTIONAL_FAILED -> x.append(">\n      <skipped message=\"").append(attr("optional clause did not hold: " + first))
                    .append("\"/>\n    </testcase>\n");
            case FAILED -> x.append(">\n      <failure type=\"failed\" message=\"").append(attr(first)).append("\">")
                    .append(text(o.reason())).append("</failure>\n    </testcase>\n");
            case TIMED_OUT -> x.append(">\n      <error type=\"timeout\" message=\"").append(attr(first)).append("\"/>\n    </testcase>\n");
            case TARGET_ERROR -> x.append(">\n      <error type=\"target-error\" message=\"").append(attr(first)).append("\">")
                    .append(text(o.reason())).append("</error>\n    </testcase>\n");
        }
    }

    /** tests, failures, errors, skipped */
    private static int[] counts(List<Case> cases) {
        int[] n = new int[4];
        for (Case c : cases) {
            n[0]++;
            if (c.outcome() == null || c.outcome().status() == Status.TIMED_OUT || c.outcome().status() == Status.TARGET_ERROR) n[2]++;
            else if (c.outcome().status() == Status.FAILED) n[1]++;
            else if (c.outcome().status() == Status.SKIPPED || c.outcome().status() == Status.OPTIONAL_FAILED) n[3]++;
        }
        return n;
    }

    private static String countAttributes(int[] n) {
        return " tests=\"" + n[0] + "\" failures=\"" + n[1] + "\" errors=\"" + n[2] + "\" skipped=\"" + n[3] + "\"";
    }

    private static void property(StringBuilder x, String name, String value) {
        x.append("      <property name=\"").append(attr(name)).append("\" value=\"").append(attr(value)).append("\"/>\n");
    }

    private static String text(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> {
                    // XML 1.0 allows tab, newline, carriage return and no other control character
                    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') out.append('?');
                    else out.append(ch);
                }
            }
        }
        return out.toString();
    }

    private static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
    }
}
