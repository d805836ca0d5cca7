package dev.gmem.kernel;

import dev.gmem.api.TargetTimeout;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A watchdog around every call of the kernel adapter into the kernel: a call that has not come back
 * within {@code -Dgmem.kernel.syscallTimeoutMs} (default: 10 s, at least three guest watchdogs) gets
 * the adapter's kick signal, which ends a blocking syscall with EINTR; the call then throws
 * {@link TargetTimeout}, which the suite reports as a timed-out clause. Cheap on the hot path: a
 * call costs two volatile writes; one daemon thread looks every 100 ms.
 */
final class SyscallWatchdog {
    static final long TIMEOUT_MS = Long.getLong("gmem.kernel.syscallTimeoutMs",
            Math.max(10_000, 3 * GuestRunner.DEFAULT_TIMEOUT_MS));
    private static final long POLL_MS = 100;
    /** How often a call still stuck after its kick is kicked again. */
    private static final long REKICK_MS = 1000;

    private static final SyscallWatchdog INSTANCE = new SyscallWatchdog(TIMEOUT_MS);

    /** The call a thread is in. */
    private static final class Call {
        final int tid = (int) LibC.syscall(LibC.SYS_GETTID);
        volatile long startedNanos;
        volatile long kickedNanos;
    }

    private final long timeoutNanos;
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Call> current = ThreadLocal.withInitial(this::register);
    private final int pid = LibC.getpid();
    private volatile Thread thread;

    SyscallWatchdog(long timeoutMs) {
        this.timeoutNanos = timeoutMs * 1_000_000;
    }

    static SyscallWatchdog instance() {
        return INSTANCE;
    }

    /** Runs {@code call}; throws {@link TargetTimeout} naming {@code what} when the watchdog had to kick it. */
    <T> T guard(Supplier<T> call, Supplier<String> what) {
        Call c = current.get();
        if (c.startedNanos != 0) return call.get(); // a call inside a guarded call: the outer one is watched
        c.kickedNanos = 0;
        c.startedNanos = System.nanoTime();
        T result;
        try {
            result = call.get();
        } finally {
            c.startedNanos = 0;
        }
        if (c.kickedNanos != 0) {
            c.kickedNanos = 0;
            throw new TargetTimeout("watchdog: " + what.get() + " did not come back within " + timeoutNanos / 1_000_000
                    + " ms (-Dgmem.kernel.syscallTimeoutMs); it was interrupted");
        }
        return result;
    }

    private Call register() {
        Call c = new Call();
        calls.add(c);
        startThread();
        return c;
    }

    private synchronized void startThread() {
        if (thread != null) return;
        GuestRunner.installKickHandler();
        Thread t = new Thread(this::watch, "gmem-syscall-watchdog");
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    private void watch() {
        while (true) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Call c : calls) {
                long started = c.startedNanos;
                if (started == 0 || now - started < timeoutNanos) continue;
                long kicked = c.kickedNanos;
                if (kicked != 0 && now - kicked < REKICK_MS * 1_000_000) continue;
                c.kickedNanos = now;
                LibC.tgkill(pid, c.tid, GuestRunner.KICK_SIGNAL);
            }
        }
    }
}
