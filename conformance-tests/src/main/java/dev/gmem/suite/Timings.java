package dev.gmem.suite;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The timings {@link ClauseRunner} measured, until the {@link TimingsWriter} listener takes each
 * with its decided outcome (both live in the suite's JVM; the outcome itself carries no time, so
 * a run's reports stay the same for the same seed).
 */
final class Timings {
    private static final Map<String, ItemTiming> PENDING = new ConcurrentHashMap<>();
    /** Where the run's listeners (the reports) spent their time so far, by listener. */
    private static volatile Supplier<Map<String, Long>> listeners = Map::of;

    private Timings() {
    }

    static void record(ItemTiming t) {
        PENDING.put(t.key(), t);
    }

    static void listeners(Supplier<Map<String, Long>> nanosByListener) {
        listeners = nanosByListener;
    }

    /** The time each outcome listener took so far, in nanoseconds by its simple name. */
    static Map<String, Long> listenerNanos() {
        return listeners.get();
    }

    static Optional<ItemTiming> take(String clauseId, String target, String edition) {
        return Optional.ofNullable(PENDING.remove(ItemTiming.key(clauseId, target, edition)));
    }
}
