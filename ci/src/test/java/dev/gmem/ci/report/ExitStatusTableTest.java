package dev.gmem.ci.report;

import dev.gmem.api.outcome.ExitStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The one exit-status table (ExitStatus) is what the launcher, vm-run, the README, --help and the KTAP header say. */
class ExitStatusTableTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void eachStatusMeansOneThing() {
        assertThat(ExitStatus.values()).extracting(ExitStatus::code).doesNotHaveDuplicates().containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void theScriptsUseTheTablesNumbers() throws IOException {
        String launcher = Files.readString(REPO.resolve("gmem-conformance"));
        for (ExitStatus s : new ExitStatus[] {ExitStatus.PASSED, ExitStatus.FAILED, ExitStatus.USAGE, ExitStatus.CANNOT_RUN,
                ExitStatus.INTERRUPTED}) {
            assertThat(launcher).contains("EXIT_" + s.name() + "=" + s.code());
        }
        String vmRun = Files.readString(REPO.resolve("ci/vm-run"));
        assertThat(vmRun).contains("EXIT_PASS=0", "EXIT_FAILED=1", "EXIT_USAGE=2", "EXIT_INTERRUPTED=4",
                "EXIT_KERNEL_TROUBLE=" + ExitStatus.KERNEL_TROUBLE.code(), "EXIT_TIMEOUT=" + ExitStatus.VM_TIMEOUT.code(),
                "EXIT_NO_VERDICT=" + ExitStatus.NO_VERDICT.code());
    }

    @Test
    void helpReadmeAndKtapDocumentEveryStatus() throws Exception {
        Process p = new ProcessBuilder(REPO.resolve("gmem-conformance").toString(), "--help").redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        String readme = Files.readString(REPO.resolve("README.md"));
        String ktap = Ktap.render(RunReports.fixed(), ComplianceReports.Matrix.of(RunReports.fixed()));
        for (ExitStatus s : ExitStatus.values()) {
            String firstWords = s.meaning().substring(0, Math.min(15, s.meaning().length()));
            if (s.code() <= 4) {
                assertThat(help).containsPattern("(?m)^  " + s.code() + "  " + Pattern.quote(firstWords));
                assertThat(readme).contains("| " + s.code() + " | " + firstWords);
            } else {
                assertThat(help).containsPattern("(?m)^  5, 6, 7  ");
                assertThat(readme).contains("| 5, 6, 7 |");
            }
            assertThat(ktap).contains("; " + s.code() + " " + s.name());
        }
    }
}
