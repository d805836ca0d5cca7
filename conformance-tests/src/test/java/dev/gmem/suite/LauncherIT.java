package dev.gmem.suite;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher end to end, as a user and a CI system run it: through a pipe, on the jars this build
 * just packaged (Maven runs this in the integration-test phase; GMEM_NO_BUILD=1 keeps the launcher
 * from building). One test per "Done when" of the Trust issue; every run goes into a fresh folder.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class LauncherIT {
    static final Path REPO = repository();
    static final Path LAUNCHER = REPO.resolve("gmem-conformance");

    record Result(int status, List<String> out, List<String> err) {
        String all() {
            return String.join("\n", out) + "\n" + String.join("\n", err);
        }
    }

    /** A launcher run whose lines are read as they come, through a pipe. */
    static final class Running {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> out = Collections.synchronizedList(new ArrayList<>());
        final List<String> err = Collections.synchronizedList(new ArrayList<>());

        Running(List<String> command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile());
            Map<String, String> env = pb.environment();
            env.remove("CI");
            env.put("GMEM_NO_BUILD", "1");
            process = pb.start();
            read(process.getInputStream(), out, true);
            read(process.getErrorStream(), err, false);
        }

        private void read(java.io.InputStream in, List<String> into, boolean queue) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        into.add(line);
                        if (queue) lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
        }

        /** Waits for a stdout line starting with {@code prefix}; returns it, or null after {@code seconds}. */
        String await(String prefix, long seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) return line;
            }
            return null;
        }

        Result finish() throws InterruptedException {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            Thread.sleep(200); // the readers drain what is left
            return new Result(process.exitValue(), List.copyOf(out), List.copyOf(err));
        }

        /** SIGKILL to the test JVM the launcher started (not to the launcher). */
        void killJvm() {
            process.descendants().filter(p -> p.info().commandLine().orElse("").contains("junit-platform-console"))
                    .forEach(ProcessHandle::destroyForcibly);
        }

        void killAll() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    static Running start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return new Running(command);
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return start(args).finish();
    }

    /** A short, complete run on one model edition. */
    static Result quickRun(Path results, String... more) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--target", "model:vm-attributes", "--clause", "CREATE", "--tries", "3",
                "--results", results.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aKilledRunIsInterruptedInEveryReportAndNothingOfTheEarlierRunShows(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        Result first = quickRun(results);
        assertThat(first.status()).as(first.all()).isZero();
        String firstId = results.resolve("latest").toRealPath().getFileName().toString();

        Running second = start("--target", "model", "--tries", "30", "--results", results.toString());
        assertThat(second.await("[2/", 180)).as("progress lines come as clauses are decided").isNotNull();
        second.killJvm();
        Result killed = second.finish();

        assertThat(killed.status()).as(killed.all()).isEqualTo(4);
        assertThat(killed.all()).contains("INTERRUPTED after");
        Path latest = results.resolve("latest").toRealPath();
        String secondId = latest.getFileName().toString();
        assertThat(secondId).isNotEqualTo(firstId);
        assertThat(read(latest.resolve("summary.md"))).contains("**INTERRUPTED after");
        assertThat(read(latest.resolve("summary.json"))).contains("\"complete\": false").contains("\"interrupted\": \"INTERRUPTED after");
        assertThat(read(latest.resolve("results.ktap"))).contains("# INTERRUPTED after").contains("# TIMEOUT interrupted");
        assertThat(read(latest.resolve("junit.xml"))).contains("type=\"interrupted\"");
        assertThat(read(latest.resolve("run.json"))).contains("\"complete\": false");
        for (Path f : files(latest)) assertThat(read(f)).as(f.toString()).doesNotContain(firstId);
        assertThat(killed.all()).doesNotContain(firstId);
        try (Stream<Path> top = Files.list(results)) {
            assertThat(top.map(p -> p.getFileName().toString())).as("no loose report at the top: only runs")
                    .containsExactlyInAnyOrder(".lock", "latest", "runs");
        }
    }

    @Test
    void theDeadlineEndsARunInterruptedAndSaysSo(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        Result r = run("--target", "model", "--clause", "SEQ", "--tries", "1000000", "--time", "60s", "--deadline", "3s",
                "--results", results.toString());
        assertThat(r.status()).as(r.all()).isEqualTo(4);
        assertThat(r.out()).anyMatch(l -> l.startsWith("gmem-conformance: --deadline reached"));
        assertThat(read(results.resolve("latest/summary.md"))).contains("**INTERRUPTED after");
    }

    @Test
    void anOptionThatOverflowsIsOneLineExitTwoAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        for (List<String> bad : List.of(List.of("--seed", "99999999999999999999"), List.of("--tries", "99999999999999"),
                List.of("--time", "99999999999999m"), List.of("--time", "0"), List.of("--deadline", "0"),
                List.of("-D", "gmem.shrinkTime=-1s"))) {
            List<String> args = new ArrayList<>(List.of("--target", "model:vm-attributes", "--results", results.toString()));
            args.addAll(bad);
            Result r = run(args.toArray(String[]::new));
            assertThat(r.status()).as(bad + ": " + r.all()).isEqualTo(2);
            assertThat(r.err()).as(bad.toString()).hasSize(1);
            assertThat(r.err().get(0)).startsWith("gmem-conformance: bad ");
            assertThat(r.out()).as(bad.toString()).isEmpty();
            assertThat(results).as(bad + ": nothing written").doesNotExist();
        }
    }

    /** {@code mvn verify} (this very build) ran the suite under target/, never into the main job's results/. */
    @Test
    void mavenVerifyWritesItsSuiteRunsUnderTargetNotTheMainJobsFolder() throws Exception {
        String pom = read(REPO.resolve("conformance-tests/pom.xml"));
        assertThat(pom).contains("<gmem.results>${project.build.directory}/gmem-results</gmem.results>")
                .contains("<allure.results.directory>${project.build.directory}/gmem-results/allure-results");
        Path built = REPO.resolve("conformance-tests/target/gmem-results/latest");
        // under Maven (basedir set) the test phase's ConformanceSuiteTest ran before this: its run must be there
        if (System.getProperty("basedir") != null) assertThat(built).isDirectory();
        Assumptions.assumeTrue(Files.isDirectory(built), "the suite's own run of this build (ConformanceSuiteTest) is not there");
        String mavenRun = built.toRealPath().getFileName().toString();
        Path main = REPO.resolve("results/runs");
        if (Files.isDirectory(main)) {
            try (Stream<Path> runs = Files.list(main)) {
                assertThat(runs.map(p -> p.getFileName().toString())).doesNotContain(mavenRun);
            }
        }
    }

    @Test
    void withoutDevKvmTheFirstLineSaysTheKernelIsNotTestedAndRequireKernelIsExitThree(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && "root".equals(System.getProperty("user.name")),
                "needs unshare and root for a mount namespace without /dev/kvm");
        Path results = dir.resolve("results");
        String noKvm = "set -e; mount --make-rprivate /; d=" + dir + "/dev; mkdir -p $d; mount --rbind /dev $d;"
                + " mount -t tmpfs none /dev; for n in null zero random urandom full tty; do touch /dev/$n; mount --bind $d/$n /dev/$n; done;"
                + " mkdir /dev/shm /dev/pts; ln -s /proc/self/fd /dev/fd; [ ! -e /dev/kvm ]; exec \"$@\"";
        List<String> base = List.of("unshare", "-m", "bash", "-c", noKvm, "no-kvm", LAUNCHER.toString(), "--clause", "CREATE-1",
                "--tries", "2", "--results", results.toString());
        Result fallback = new Running(base).finish();
        assertThat(fallback.out()).as(fallback.all()).isNotEmpty();
        assertThat(fallback.out().get(0)).startsWith("gmem-conformance: kernel not tested: /dev/kvm is missing");
        assertThat(fallback.status()).as(fallback.all()).isZero();
        Path latest = results.resolve("latest");
        assertThat(read(latest.resolve("summary.md"))).contains("**kernel not tested: /dev/kvm is missing");
        assertThat(read(latest.resolve("results.ktap"))).contains("# kernel not tested: /dev/kvm is missing");
        assertThat(read(latest.resolve("summary.json"))).contains("\"kernelNotTested\"");
        assertThat(fallback.out()).anyMatch(l -> l.startsWith("kernel not tested: "));

        List<String> required = new ArrayList<>(base);
        required.add("--require-kernel");
        Result refused = new Running(required).finish();
        assertThat(refused.status()).as(refused.all()).isEqualTo(3);
        assertThat(refused.err()).hasSize(1);
        assertThat(refused.err().get(0)).contains("the kernel must be tested").contains("/dev/kvm is missing");
    }

    @Test
    void aSecondRunIntoTheSameFolderIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results");
        Running first = start("--target", "model", "--clause", "SEQ", "--tries", "100000", "--time", "60s",
                "--results", results.toString());
        try {
            assertThat(first.await("gmem-conformance: run ", 180)).as("the first run started").isNotNull();
            Result second = quickRun(results);
            assertThat(second.status()).as(second.all()).isEqualTo(3);
            assertThat(second.err()).hasSize(1);
            assertThat(second.err().get(0)).contains("another run is writing into " + results.toRealPath());
            assertThat(second.out()).noneMatch(l -> l.startsWith("["));
        } finally {
            first.killAll();
        }
    }

    @Test
    void aReadOnlyResultsFolderIsOneLineExitThreeAndNoStackTrace(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && "root".equals(System.getProperty("user.name")),
                "needs unshare and root for a read-only bind mount");
        Path results = dir.resolve("results");
        Files.createDirectories(results);
        String readOnly = "set -e; mount --make-rprivate /; mount --bind " + results + " " + results + "; mount -o remount,bind,ro "
                + results + "; exec \"$@\"";
        Result r = new Running(List.of("unshare", "-m", "bash", "-c", readOnly, "ro", LAUNCHER.toString(),
                "--target", "model:vm-attributes", "--clause", "CREATE", "--tries", "3", "--results", results.toString())).finish();
        assertThat(r.status()).as(r.all()).isEqualTo(3);
        assertThat(r.err()).as(r.all()).hasSize(1);
        assertThat(r.err().get(0)).contains("is not writable");
        assertThat(r.all()).doesNotContain("Exception").doesNotContainPattern("\\bat [a-z]+\\.");
        assertThat(r.out()).noneMatch(l -> l.startsWith("["));
    }

    @Test
    void inAPipeTheFirstClausesLineComesWithinSecondsOfTheSuiteStarting(@TempDir Path dir) throws Exception {
        Running r = start("--target", "model:vm-attributes", "--tries", "5", "--results", dir.resolve("results").toString());
        try {
            assertThat(r.await("gmem-conformance: run ", 180)).as("the suite started").isNotNull();
            long started = System.nanoTime();
            String first = r.await("[1/", 60);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(first).as("a line per decided clause, unbuffered").isNotNull()
                    .matches("\\[1/\\d+\\] (PASSED|FAILED|SKIPPED|OPTIONAL_FAILED) CREATE-1 model:vm-attributes \\d+\\.\\d s.*");
            assertThat(seconds).as("seconds from the suite's start to its first clause line").isLessThan(20);
        } finally {
            r.killAll();
        }
    }

    @Test
    void theJUnitXmlOfAFullRunAndOfAClauseRunNameConv3Identically(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full");
        Path one = dir.resolve("one");
        Result a = run("--target", "model:vm-attributes", "--tries", "3", "--time", "2s", "--results", full.toString(),
                "-D", "gmem.shrinkTime=5s");
        assertThat(a.status()).as(a.all()).isIn(0, 1);
        Result b = run("--target", "model:vm-attributes", "--clause", "CONV-3", "--tries", "3", "--results", one.toString());
        assertThat(b.status()).as(b.all()).isIn(0, 1);
        assertThat(read(full.resolve("latest/run.json"))).as("-D passed through").contains("\"shrinkTime\": \"5000 ms\"");

        List<String> fromFull = junitCases(full.resolve("latest/junit.xml"));
        List<String> fromOne = junitCases(one.resolve("latest/junit.xml"));
        assertThat(fromOne).containsExactly("gmem.CONV|CONV-3 [model:vm-attributes]");
        assertThat(fromFull).contains(fromOne.get(0)).hasSizeGreaterThan(30);
        assertThat(fromFull).allMatch(c -> c.matches("gmem\\.[A-Z]+\\|[A-Z]+(-\\d+)? \\[model:vm-attributes\\]"));
        List<String> skips = junitSkipMessages(full.resolve("latest/junit.xml"));
        assertThat(skips).isNotEmpty().allMatch(m -> !m.isBlank());
    }

    /** classname|name of every testcase, read by Python's ElementTree (not the kit's own code). */
    static List<String> junitCases(Path xml) throws Exception {
        return python("import sys, xml.etree.ElementTree as ET\n"
                + "for c in ET.parse(sys.argv[1]).getroot().iter('testcase'): print(c.get('classname') + '|' + c.get('name'))", xml);
    }

    /** The message of every skipped element, read by ElementTree. */
    static List<String> junitSkipMessages(Path xml) throws Exception {
        return python("import sys, xml.etree.ElementTree as ET\n"
                + "for s in ET.parse(sys.argv[1]).getroot().iter('skipped'): print(s.get('message', ''))", xml);
    }

    private static List<String> python(String script, Path xml) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", script, xml.toString()).redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().toList();
        }
        assertThat(p.waitFor()).as(String.join("\n", lines)).isZero();
        return lines;
    }

    private static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("gmem-conformance")) && Files.isDirectory(p.resolve("ci"))) return p;
        }
        throw new IllegalStateException("no gmem-conformance launcher above " + Path.of("").toAbsolutePath());
    }
}
