package dev.gmem.vmselftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

/**
 * Stand-in for the suite, used by ci/test-vm-run to prove the runner's path end
 * to end: the JVM starts from the 9p root, sees the suite's system properties
 * and /dev/kvm, writes into the results share, and its verdict reaches the host.
 * Set -Dvmselftest.fail=true to make it fail on purpose.
 */
class VmSelfTest {

    @Test
    void suitePropertiesArrive() throws IOException {
        String target = System.getProperty("gmem.target");
        String results = System.getProperty("gmem.results");
        assertNotNull(target, "gmem.target");
        assertNotNull(results, "gmem.results");
        assertNotNull(System.getProperty("gmem.tries"), "gmem.tries");
        Path outcomes = Path.of(results, "outcomes.jsonl");
        String line = "{\"clauseId\":\"VMSELF-1\",\"target\":\"" + target
                + "\",\"edition\":\"vm-attributes\",\"status\":\"PASSED\",\"reason\":\"\"}\n";
        Files.writeString(outcomes, line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertTrue(Files.size(outcomes) > 0);
    }

    @Test
    void devKvmIsThere() {
        assertTrue(Files.exists(Path.of("/dev/kvm")), "/dev/kvm inside the VM");
    }

    @Test
    void scratchIsWritable() throws IOException {
        Path tmp = Files.createTempFile("vmselftest", ".txt");
        Files.writeString(tmp, "ok");
        assertEquals("ok", Files.readString(tmp));
    }

    @Test
    void failsWhenAsked() {
        assertFalse(Boolean.getBoolean("vmselftest.fail"), "asked to fail (-Dvmselftest.fail=true)");
    }
}
