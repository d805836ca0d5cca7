package dev.gmem.ci.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A C prelude cut into named sections, each started by a line {@code /*@ name: needs... *}{@code /}:
 * a program takes the sections it uses, with the sections they need, in the prelude's order.
 */
final class PreludeSections {
    private static final Pattern HEAD = Pattern.compile("^/\\*@ ([\\w-]+)(?::([\\w\\s-]*))? \\*/$", Pattern.MULTILINE);

    private record Section(String text, List<String> needs) {
    }

    private final String resource;
    private final Map<String, Section> sections = new LinkedHashMap<>();

    PreludeSections(String resource) {
        this.resource = resource;
        String prelude = CReproducer.resource(resource);
        Matcher m = HEAD.matcher(prelude);
        String name = null;
        List<String> needs = List.of();
        int from = 0;
        while (m.find()) {
            if (name != null) sections.put(name, new Section(prelude.substring(from, m.start()), needs));
            name = m.group(1);
            needs = m.group(2) == null || m.group(2).isBlank() ? List.of() : List.of(m.group(2).trim().split("\\s+"));
            from = m.end() + 1;
        }
        if (name == null) throw new IllegalStateException(resource + " has no sections");
        sections.put(name, new Section(prelude.substring(from), needs));
    }

    /** The text of {@code wanted} and of what they need, in the prelude's order, one blank line between sections. */
    String text(Set<String> wanted) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(wanted);
        while (!todo.isEmpty()) {
            String s = todo.pop();
            Section section = sections.get(s);
            if (section == null) throw new IllegalStateException("no section " + s + " in " + resource);
            if (all.add(s)) todo.addAll(section.needs());
        }
        StringBuilder out = new StringBuilder();
        sections.forEach((name, section) -> {
            if (all.contains(name)) out.append(section.text().strip()).append("\n\n");
        });
        return out.toString();
    }
}
