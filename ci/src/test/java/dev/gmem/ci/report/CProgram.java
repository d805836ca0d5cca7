package dev.gmem.ci.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Compiles and runs generated C in the tests. */
final class CProgram {
    record Result(int exit, String output) {
    }

    private CProgram() {
    }

    static boolean gccPresent() {
        try {
            return run(List.of("gcc", "--version"), Path.of(".")).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean kvmUsable() {
        Path kvm = Path.of("/dev/kvm");
        return Files.isReadable(kvm) && Files.isWritable(kvm);
    }

    /** Compiles {@code source} with {@code gcc -Wall -Werror}; the executable's path. */
    static Path compile(String source, Path dir, String name) throws IOException {
        Path c = dir.resolve(name + ".c");
        Path exe = dir.resolve(name);
        Files.writeString(c, source, StandardCharsets.UTF_8);
        Result r = run(List.of("gcc", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", exe.toString(),
                c.toString()), dir);
        if (r.exit() != 0) throw new AssertionError("gcc failed on " + c + ":\n" + r.output());
        return exe;
    }

    static Result run(List<String> command, Path dir) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
