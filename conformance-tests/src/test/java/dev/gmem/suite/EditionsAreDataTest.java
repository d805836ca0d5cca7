package dev.gmem.suite;

import dev.gmem.api.ContentRule;
import dev.gmem.api.ConversionCall;
import dev.gmem.api.ConvertCheck;
import dev.gmem.api.Edition;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.PageState;
import dev.gmem.api.ReferenceRule;
import dev.gmem.api.VmType;
import dev.gmem.suite.clauses.Catalogue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Editions are described by their knobs: clauses bind them by predicate, and no source lists them by name. */
class EditionsAreDataTest {

    private static Set<String> bound(Edition e) {
        return Catalogue.all().stream().filter(c -> c.bindsEdition(e)).map(Clause::id).collect(Collectors.toSet());
    }

    @Test
    void aNewEditionRecordIsBoundToTheClausesItsKnobsImply() {
        // converts in place through guest_memfd and lets referenced pages wait: the pending design's knobs under a new name
        Edition waits = new Edition("throwaway-waiting", "a test", VmType.SW_PROTECTED, true, ConversionCall.GMEM_ATTRIBUTES2,
                false, true, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED, Edition.FLAG_MMAP, 0, PageState.PRIVATE,
                Edition.FLAG_INIT_SHARED, List.of(ConvertCheck.OVERFLOW, ConvertCheck.ALIGNMENT, ConvertCheck.INSIDE_FILE),
                ContentRule.PRESERVED, false, ReferenceRule.PENDING, true, KernelFacts.FROM_7_2, 0, false, false);
        assertThat(bound(waits)).contains("CONV-1", "CONV-7", "REF-3", "REF-4", "GUEST-3", "MMAP-4", "HOST-2", "HCALL-1", "SEQ")
                .doesNotContain("REF-1", "REF-2", "HOST-4");
        assertThat(Catalogue.byId("HCALL-1").orElseThrow().level(waits)).isEqualTo(Clause.Level.OPTIONAL);

        // neither converts nor maps: only the clauses every edition must meet
        Edition inert = new Edition("throwaway-inert", "a test", VmType.DEFAULT, false, ConversionCall.NONE, false, false,
                0, 0, 0, PageState.SHARED, 0, List.of(), ContentRule.PRESERVED, false, ReferenceRule.NO_CHECK, true,
                KernelFacts.MAINLINE_6_18, Edition.FLAG_MMAP, false, false);
        assertThat(bound(inert)).containsExactlyInAnyOrder("CREATE-1", "CREATE-2", "CREATE-3", "FILE-1", "FILE-2", "FILE-3",
                "MMAP-1", "HOST-1", "PUNCH-1", "PUNCH-2", "PUNCH-3", "PUNCH-4", "GUEST-1", "BIND-1", "BIND-2",
                "LIFE-1", "LIFE-2", "REG-1", "SEQ", "RACE-5");
    }

    @Test
    void everyEditionIsBoundByTheClausesThatBindEveryEdition() {
        for (Edition e : Edition.all()) assertThat(bound(e)).as(e.name()).contains("CREATE-1", "SEQ");
    }

    /** A list, set or stream literal, or a switch case, naming two or more editions (by constant or name). */
    @Test
    void noSourceOutsideEditionJavaListsEditions() throws Exception {
        List<String> names = new ArrayList<>();
        List<String> constants = new ArrayList<>();
        for (Edition e : Edition.all()) names.add(e.name());
        for (Field f : Edition.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Edition.class) constants.add(f.getName());
        }
        assertThat(constants).hasSameSizeAs(names);
        Pattern edition = Pattern.compile("Edition\\.(" + String.join("|", constants) + ")\\b|\"("
                + names.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")\"");
        Pattern literal = Pattern.compile("\\b(List|Set|Stream|EnumSet|Arrays\\.asList)(\\.of)?\\(|\\bcase \"");
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        for (Path module : ClauseSymbolsTest.modules()) {
            for (String root : List.of("src/main/java", "src/test/java")) {
                Path dir = module.resolve(root);
                if (!Files.isDirectory(dir)) continue;
                for (Path p : ClauseSymbolsTest.javaFiles(dir)) {
                    if (p.endsWith(Path.of("dev/gmem/api/Edition.java"))) continue;
                    scanned++;
                    String text = Files.readString(p);
                    Matcher m = literal.matcher(text);
                    while (m.find()) {
                        if (m.group().startsWith("case")) {
                            int end = text.indexOf(':', m.end());
                            int arrow = text.indexOf("->", m.end());
                            if (arrow >= 0 && (end < 0 || arrow < end)) end = arrow;
                            if (edition.matcher("\"" + text.substring(m.end(), end)).find()) offenders.add(p + ": " + m.group());
                            continue;
                        }
                        if (countTopLevel(edition, text, m.end()) >= 2) {
                            offenders.add(p + ": " + text.substring(m.start(), Math.min(text.length(), m.end() + 60)).replace('\n', ' '));
                        }
                    }
                }
            }
        }
        assertThat(scanned).isGreaterThan(50);
        assertThat(offenders).as("edition lists outside Edition.java (enumerate by predicate: Edition.where(...))").isEmpty();
    }

    /** How many edition references stand directly among the arguments opened at {@code from}. */
    private static int countTopLevel(Pattern edition, String text, int from) {
        int depth = 0;
        StringBuilder top = new StringBuilder();
        for (int i = from; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '(' || ch == '{' || ch == '[') depth++;
            if (ch == ')' || ch == '}' || ch == ']') {
                if (depth == 0) break;
                depth--;
                continue;
            }
            top.append(depth == 0 ? ch : ' ');
        }
        Matcher m = edition.matcher(top);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
