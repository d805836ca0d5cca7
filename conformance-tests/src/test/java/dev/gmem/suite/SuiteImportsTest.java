package dev.gmem.suite;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher/listener split, read from the imports: the suite talks to the reports only through
 * {@code dev.gmem.api.outcome} and to the kernel only through the target SPI, so neither the
 * reporting module nor the kernel adapter appears in its sources (both are runtime dependencies).
 */
class SuiteImportsTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "^\\s*import\\s+(static\\s+)?(dev\\.gmem\\.(ci|report|kernel)\\.[\\w.*]+)\\s*;", Pattern.MULTILINE);

    static List<String> forbiddenImports(Path sources) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                Matcher m = FORBIDDEN.matcher(text);
                while (m.find()) found.add(sources.relativize(f) + ": " + m.group(2));
                // a fully qualified use without an import is the same dependency
                if (text.matches("(?s).*\\bdev\\.gmem\\.(ci|report|kernel)\\.[A-Z].*") && !m.reset().find()) {
                    found.add(sources.relativize(f) + ": a qualified name from dev.gmem.ci/report/kernel");
                }
            }
        }
        return found;
    }

    @Test
    void theSuiteImportsNothingFromTheReportsOrTheKernelAdapter() throws IOException {
        for (String set : List.of("src/main/java", "src/test/java")) {
            Path sources = Path.of(set);
            assertThat(sources).as("run from the conformance-tests module").isDirectory();
            assertThat(forbiddenImports(sources)).as(set).isEmpty();
        }
    }

    @Test
    void theScanSeesAForbiddenImport(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        String gmem = "dev.gmem.";
        Files.writeString(dir.resolve("A.java"), "package x;\nimport " + gmem + "ci.report.CReproducer;\nclass A {}\n");
        Files.writeString(dir.resolve("B.java"), "package x;\nclass B { Object o = " + gmem + "kernel.Ioctls.class; }\n");
        Files.writeString(dir.resolve("C.java"), "package x;\nimport dev.gmem.api.outcome.Step;\nclass C {}\n");
        assertThat(forbiddenImports(dir)).hasSize(2).anyMatch(s -> s.contains("A.java: " + gmem + "ci.report.CReproducer"))
                .anyMatch(s -> s.startsWith("B.java"));
    }
}
