package dev.gmem.api.outcome;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsFolderTest {

    @Test
    void theResultsFolderIsTheRepositoryRootsResultsByDefault(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("ci"));
        Files.createDirectories(dir.resolve("api"));
        Files.createDirectories(dir.resolve("conformance-tests"));
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        assertThat(ResultsFolder.repositoryRoot(dir.resolve("conformance-tests"))).isEqualTo(dir);
        assertThat(Arrays.asList(new ResultsFolder(dir.resolve("r")).htmlReport().toString().split("/")))
                .endsWith("r", "report", "index.html");
    }
}
