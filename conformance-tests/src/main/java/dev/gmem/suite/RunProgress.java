package dev.gmem.suite;

import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.ExitStatus;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.TestIdentity;
import dev.gmem.property.Progress;
import dev.gmem.property.RunConfig;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * A run as it goes, one plain line per decided item ({@code [12/40] PASSED CONV-3 kernel:vm-attributes 0.8 s}),
 * a heartbeat while one takes long (cases tried, or shrinking and the shortest sequence so far), and
 * the run's bounds: no item starts after the {@code --deadline}, and an item still running past its
 * cap (or past the deadline's grace) is recorded as timed out and the run ends interrupted, exit
 * status 4, rather than hang.
 */
public final class RunProgress implements AutoCloseable {
    /** First heartbeat after this, then one per this again. */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** What an item may run past its time budgets before the run gives up on it. */
    static final Duration GRACE = Duration.ofSeconds(60);

    private final SuiteRun run;
    private final PrintStream out;
    private final RunConfig config;
    private final long deadlineNanos;
    private final Thread ticker;
    private volatile SuiteRun.Item current;
    private volatile long startedNanos;
    private int number;

    public RunProgress(SuiteRun run, RunConfig config, Optional<Duration> deadline, PrintStream out) {
        this.run = run;
        this.out = out;
        this.config = config;
        this.deadlineNanos = deadline.map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
        this.ticker = new Thread(this::tick, "gmem-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** Whether the run's deadline has passed: no further item starts. */
    public boolean deadlinePassed() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** The item's time budgets, capped by what is left of the deadline. */
    public RunConfig configFor() {
        if (deadlineNanos == Long.MAX_VALUE) return config;
        Duration left = Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
        return config.withTimeBudget(min(config.timeBudget(), left)).withShrinkTime(min(config.shrinkTime(), left));
    }

    public synchronized void starting(SuiteRun.Item item) {
        startedNanos = System.nanoTime();
        current = item;
    }

    /** Prints the decided item's line. */
    public synchronized void decided(ClauseOutcome o) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        current = null;
        number++;
        String line = String.format("[%d/%d] %s %s %.1f s", number, run.plan().items().size(), word(o.status()),
                TestIdentity.of(o).name().replace(" [", " ").replace("]", ""), seconds);
        if (o.status() != Status.PASSED && !o.reason().isEmpty()) line += ": " + firstLine(o.reason());
        out.println(line);
        out.flush();
    }

    /** Says once that the deadline ended the run early. */
    public synchronized void notStarted(int left) {
        out.println("gmem-conformance: --deadline reached: " + left + " planned item(s) not started; the run is interrupted");
        out.flush();
    }

    private static String word(Status s) {
        return s == Status.TIMED_OUT ? "TIMEOUT" : s.name();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    /** How long an item may run: its properties' time and shrink budgets, and a grace. */
    private Duration cap(SuiteRun.Item item) {
        int properties = Math.max(1, item.clause().checks().size());
        return config.timeBudget().plus(config.shrinkTime()).multipliedBy(properties).plus(GRACE);
    }

    private void tick() {
        long nextBeat = Long.MAX_VALUE;
        SuiteRun.Item beating = null;
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            SuiteRun.Item item = current;
            if (item == null) continue;
            long now = System.nanoTime();
            long running = now - startedNanos;
            if (item != beating) {
                beating = item;
                nextBeat = startedNanos + HEARTBEAT.toNanos();
            }
            if (running > cap(item).toNanos() || now - deadlineNanos > GRACE.toNanos()) {
                giveUp(item, running > cap(item).toNanos()
                        ? "did not finish within " + cap(item).toSeconds() + " s (its time budgets and " + GRACE.toSeconds()
                        + " s): a target call hangs or the budgets are too small"
                        : "still running " + GRACE.toSeconds() + " s after the run's --deadline");
            }
            if (now - nextBeat >= 0) {
                nextBeat = now + HEARTBEAT.toNanos();
                String doing = Progress.describe();
                synchronized (this) {
                    if (current == item) {
                        out.printf("  ... %s %.0f s%s%n", TestIdentity.of(item.planned()).name(), running / 1e9,
                                doing.isEmpty() ? "" : ": " + doing);
                        out.flush();
                    }
                }
            }
        }
    }

    /** Records {@code item} as timed out, ends the run (interrupted) and stops the JVM: a hung call never returns. */
    private synchronized void giveUp(SuiteRun.Item item, String why) {
        if (current != item) return;
        String reason = item.clause().id() + " on " + item.target().name() + " (" + item.edition().name() + ") " + why;
        run.decided(ClauseRunner.timedOut(item.target(), item.clause(), item.edition(), config, reason));
        out.println("gmem-conformance: TIMEOUT " + reason + "; the run ends here, interrupted");
        out.flush();
        run.finish();
        Runtime.getRuntime().halt(ExitStatus.INTERRUPTED.code());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        ticker.interrupt();
    }
}
