package dev.gmem.suite;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third party's target through the launcher, end to end: src/test/plugin is compiled into a jar
 * here (Maven never sees it), and {@code ./gmem-conformance --plugin JAR} lists it, runs it, prints
 * a replay command that works, and reports a target that throws as a target error (exit 3).
 * Runs after {@code package} (the integration-test phase), when the launcher's jars are fresh.
 */
class PluginLauncherTest {
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ROOT = MODULE.getParent();

    @TempDir
    static Path work;
    static Path jar;

    @BeforeAll
    static void buildTheTinyTargetJar() throws IOException {
        Path src = MODULE.resolve("src/test/plugin");
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> sources;
        try (Stream<Path> s = Files.walk(src)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String classPath;
        try (Stream<Path> s = Files.list(MODULE.resolve("target/lib"))) {
            classPath = s.map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath, "--release", "17"));
        args.addAll(sources);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(javac.run(null, null, err, args.toArray(String[]::new))).as(err.toString()).isZero();
        jar = work.resolve("tiny target.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, classes, classes);
            add(out, src.resolve("META-INF"), src);
        }
    }

    private static void add(JarOutputStream out, Path dir, Path base) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(base.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }

    record Run(int status, String output) {
    }

    static Run launcher(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("gmem-conformance").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        // never let the launcher start a Maven build inside this one
        pb.environment().put("GMEM_NO_BUILD", "1");
        pb.environment().remove("GMEM_PLUGINS");
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = p.getInputStream()) {
            in.transferTo(out);
        }
        return new Run(p.waitFor(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsThePluggedTarget() throws Exception {
        Run help = launcher(List.of("--plugin", jar.toString(), "--help"));
        assertThat(help.status()).as(help.output()).isZero();
        assertThat(help.output()).contains("--plugin PATH.jar").contains("tiny:ok|lax|throws");
    }

    @Test
    void aPluggedTargetRunsAndItsReplayCommandReproducesTheFailure() throws Exception {
        Run ok = launcher(List.of("--plugin", jar.toString(), "--target", "tiny:ok", "--clause", "CONV-3", "--seed", "7",
                "--tries", "30", "--results", work.resolve("ok").toString()));
        assertThat(ok.status()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("clauses: 1 passed, 0 failed");

        Run lax = launcher(List.of("--plugin", jar.toString(), "--target", "tiny:lax", "--clause", "CONV-3", "--seed", "7",
                "--tries", "30", "--results", work.resolve("lax").toString()));
        assertThat(lax.status()).as(lax.output()).isEqualTo(1);
        Matcher m = Pattern.compile("replay with (\\./gmem-conformance .*)").matcher(lax.output());
        assertThat(m.find()).as(lax.output()).isTrue();
        String replay = m.group(1);
        assertThat(replay).contains("--plugin '" + jar + "'").contains("--target tiny:lax");

        List<String> replayArgs = new ArrayList<>(shellWords(replay.substring("./gmem-conformance ".length())));
        replayArgs.addAll(List.of("--results", work.resolve("replay").toString()));
        Run again = launcher(replayArgs);
        assertThat(again.status()).as(again.output()).isEqualTo(1);
        assertThat(Files.readString(work.resolve("replay/outcomes.jsonl")))
                .as("the replay finds the same shrunk failure")
                .contains(shrunkOf(work.resolve("lax/outcomes.jsonl")));
    }

    @Test
    void aTargetThatThrowsIsATargetErrorExitThree() throws Exception {
        Run thrown = launcher(List.of("--plugin", jar.toString(), "--target", "tiny:throws", "--clause", "CREATE-1",
                "--seed", "1", "--tries", "5", "--results", work.resolve("throws").toString()));
        assertThat(thrown.status()).as(thrown.output()).isEqualTo(3);
        assertThat(thrown.output()).contains("TARGET ERROR").contains("tiny lost its VM").contains("0 failed");
    }

    @Test
    void aMissingPluginJarIsOneLineAndExitTwo() throws Exception {
        Run missing = launcher(List.of("--plugin", work.resolve("nothing.jar").toString(), "--target", "tiny:ok"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.output().strip()).startsWith("gmem-conformance: no plug-in jar at").doesNotContain("\n");
    }

    /** The "shrunk" steps of the one outcome in an outcomes.jsonl, as JSON text. */
    private static String shrunkOf(Path log) throws IOException {
        String line = Files.readAllLines(log).get(0);
        int at = line.indexOf("\"shrunk\"");
        assertThat(at).as(line).isPositive();
        return line.substring(at, line.indexOf(']', at) + 1);
    }

    /** Splits a command line the way sh does for words, single quotes and plain words only. */
    private static List<String> shellWords(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'((?:[^']|'\\\\'')*)'|(\\S+)").matcher(line);
        while (m.find()) out.add(m.group(1) != null ? m.group(1).replace("'\\''", "'") : m.group(2));
        return out;
    }
}
