package dev.gmem.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every ioctl is sent from {@link KvmCalls}: no other main source calls {@code LibC.ioctl}. */
class KvmCallsTest {
    private static final Path MAIN = Path.of("src/main/java/dev/gmem/kernel");

    @Test
    void onlyKvmCallsIssuesIoctls() throws IOException {
        List<String> callers;
        try (Stream<Path> files = Files.list(MAIN)) {
            callers = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("KvmCalls.java"))
                    .filter(f -> read(f).contains("LibC.ioctl("))
                    .map(f -> f.getFileName().toString())
                    .toList();
        }
        assertThat(read(MAIN.resolve("KvmCalls.java"))).contains("LibC.ioctl(");
        assertThat(callers).as("main sources that call LibC.ioctl themselves").isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
