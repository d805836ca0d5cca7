package dev.gmem.ci.report;

import java.util.ArrayList;
import java.util.List;

/** Words to lines of at most a width, and text to plain ASCII: what mail and terminals show alike. */
final class TextWrap {
    private TextWrap() {
    }

    /**
     * {@code text} in lines of at most {@code width} columns, the first starting with {@code first},
     * the others with {@code next}. A word longer than a line has a line of its own.
     */
    static List<String> wrap(String text, int width, String first, String next) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : text.replace('\n', ' ').trim().split(" +")) {
            if (word.isEmpty()) continue;
            if (!empty && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line = new StringBuilder(next);
                empty = true;
            }
            if (!empty) line.append(' ');
            line.append(word);
            empty = false;
        }
        if (!empty || lines.isEmpty()) lines.add(line.toString());
        return lines;
    }

    /** A shell command in lines of at most {@code width} columns, continued with a backslash. */
    static List<String> command(String command, int width, String indent) {
        List<String> lines = wrap(command, width - 2, indent, indent + "    ");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) out.add(i < lines.size() - 1 ? lines.get(i) + " \\" : lines.get(i));
        return out;
    }

    /** {@code text} cut to {@code width} columns, "..." marking the cut. */
    static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, Math.max(0, width - 3)) + "...";
    }

    /** Plain ASCII: the reports' arrows and signs spelled out, anything else non-ASCII as '?'. */
    static String ascii(String text) {
        String s = text.replace("→", "->").replace("←", "<-").replace("≥", ">=").replace("≤", "<=")
                .replace("×", "x").replace("–", "-").replace("—", "-").replace("…", "...").replace('\u00a0', ' ');
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f) ? c : '?');
        }
        return out.toString();
    }
}
