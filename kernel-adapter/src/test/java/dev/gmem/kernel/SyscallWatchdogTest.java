package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.TargetTimeout;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A blocking call into the kernel is interrupted by the watchdog and reported as a timeout, never a hang. */
class SyscallWatchdogTest {

    @Test
    void aBlockingSyscallIsInterruptedAndReportedAsATimeout() {
        SyscallWatchdog watchdog = new SyscallWatchdog(300);
        try (Memory fds = new Memory(8); Memory buffer = new Memory(8)) {
            assertThat(LibC.pipe2(fds, LibC.O_CLOEXEC)).isZero();
            int readEnd = fds.getInt(0);
            int writeEnd = fds.getInt(4);
            try {
                long started = System.nanoTime();
                assertThatThrownBy(() -> watchdog.guard(() -> LibC.read(readEnd, buffer, 1), () -> "read of an empty pipe"))
                        .isInstanceOf(TargetTimeout.class).hasMessageContaining("read of an empty pipe")
                        .hasMessageContaining("300 ms");
                assertThat((System.nanoTime() - started) / 1e9).as("seconds until the call came back").isLessThan(5);
                assertThat(watchdog.guard(() -> 42, () -> "a quick call")).as("a call in time is not touched").isEqualTo(42);
            } finally {
                LibC.close(readEnd);
                LibC.close(writeEnd);
            }
        }
    }
}
