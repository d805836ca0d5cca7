package dev.gmem.api.outcome;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every {@link OutcomeListener} of a run, each isolated from the run and from the others (JUnit's
 * {@code TestWatcher} rule): a listener that throws is reported in one line on stderr, the first
 * time only, and the run and the other listeners go on.
 */
public final class OutcomeListeners implements OutcomeListener {
    private final List<OutcomeListener> listeners;
    private final PrintStream err;
    private final Set<String> reported = new HashSet<>();
    /** Time spent in each listener's calls, by class name, in the order they were loaded. */
    private final Map<String, long[]> nanos = new LinkedHashMap<>();

    public OutcomeListeners(List<? extends OutcomeListener> listeners, PrintStream err) {
        this.listeners = List.copyOf(listeners);
        this.err = err;
    }

    /** Every listener on the class path. */
    public static OutcomeListeners load() {
        return load(type -> true);
    }

    /** The listeners on the class path whose class {@code which} accepts. */
    public static OutcomeListeners load(Predicate<Class<? extends OutcomeListener>> which) {
        List<OutcomeListener> found = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        for (ServiceLoader.Provider<OutcomeListener> p : providers()) {
            if (!which.test(p.type())) continue;
            isolated(failed, System.err, p.type().getName(), "its constructor", () -> found.add(p.get()));
        }
        OutcomeListeners listeners = new OutcomeListeners(found, System.err);
        listeners.reported.addAll(failed);
        return listeners;
    }

    private static List<ServiceLoader.Provider<OutcomeListener>> providers() {
        try {
            return ServiceLoader.load(OutcomeListener.class).stream().toList();
        } catch (java.util.ServiceConfigurationError e) {
            System.err.println("gmem-conformance: no report listener could be loaded: " + e.getMessage());
            return List.of();
        }
    }

    public List<OutcomeListener> listeners() {
        return listeners;
    }

    /** Whether any listener has thrown so far. */
    public synchronized boolean failed() {
        return !reported.isEmpty();
    }

    @Override
    public synchronized void runStarted(RunPlan plan) {
        each("runStarted", l -> l.runStarted(plan));
    }

    @Override
    public synchronized void itemDecided(ClauseOutcome outcome) {
        each("itemDecided", l -> l.itemDecided(outcome));
    }

    @Override
    public synchronized void runFinished(RunEnd end) {
        each("runFinished", l -> l.runFinished(end));
    }

    private void each(String call, Consumer<OutcomeListener> event) {
        for (OutcomeListener l : listeners) {
            long start = System.nanoTime();
            isolated(reported, err, l.getClass().getName(), call, () -> event.accept(l));
            nanos.computeIfAbsent(l.getClass().getSimpleName(), k -> new long[1])[0] += System.nanoTime() - start;
        }
    }

    /** The time each listener took so far (its class's simple name to nanoseconds), in the order they run. */
    public synchronized Map<String, Long> nanosByListener() {
        Map<String, Long> out = new LinkedHashMap<>();
        nanos.forEach((name, n) -> out.put(name, n[0]));
        return out;
    }

    private static void isolated(Set<String> reported, PrintStream err, String name, String call, Runnable body) {
        try {
            body.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            if (reported.add(name)) {
                err.println("gmem-conformance: report listener " + name + " failed in " + call + ": " + t
                        + " (its later failures are not shown; the clauses' verdicts stand)");
            }
        }
    }
}
