package dev.gmem.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Runs a property: random test cases until one fails, the tries are used up or the time budget is
 * spent; a failing case is shrunk ({@link Shrinker}) and replayed once more for its final message.
 * The same seed gives the same test cases, hence the same result.
 */
public final class PropertyRunner {
    /** Time running the random test cases, in {@link Statistics#nanos}. */
    public static final String TEST_CASES = "test cases";
    /** Time shrinking a failure, in {@link Statistics#nanos}. */
    public static final String SHRINKING = "shrinking";
    private PropertyRunner() {
    }

    public static PropertyResult run(RunConfig config, Property property) {
        return run(config, property, List.of());
    }

    public static PropertyResult run(RunConfig config, Property property, List<Requirement> required) {
        return run(config, property, required, null);
    }

    /**
     * As {@link #run(RunConfig, Property, List)}, with coverage feedback when {@code guideBy} names
     * a statistics category (the model's events): a test case that counted a label of it rarely
     * counted so far joins a corpus, and half of the later test cases continue a prefix of a corpus
     * entry with fresh choices, so rare transitions get reached again and beyond.
     */
    public static PropertyResult run(RunConfig config, Property property, List<Requirement> required, String guideBy) {
        SplittableRandom random = new SplittableRandom(config.seed());
        Statistics statistics = new Statistics();
        Corpus corpus = guideBy == null ? null : new Corpus(guideBy);
        long deadline = System.nanoTime() + config.timeBudget().toNanos();
        int tries = 0;
        Choices finished = null;
        while (tries < config.tries() && (tries == 0 || System.nanoTime() < deadline)) {
            Choices choices = corpus == null ? Choices.random(random.split(), finished) : corpus.next(random, finished);
            long start = System.nanoTime();
            Execution execution = execute(property, choices);
            statistics.addNanos(TEST_CASES, System.nanoTime() - start);
            tries++;
            Progress.testing(tries);
            if (corpus != null) corpus.offer(choices, statistics);
            statistics.addAll(choices.statistics());
            switch (execution.kind) {
                case SKIPPED:
                    return new PropertyResult(PropertyResult.Outcome.SKIPPED, config.seed(), tries, statistics,
                            execution.skipReason, Optional.empty(), Optional.empty());
                case ABORTED:
                    return new PropertyResult(PropertyResult.Outcome.ABORTED, config.seed(), tries, statistics,
                            execution.skipReason, Optional.empty(), Optional.empty());
                case FAILED: {
                    PropertyResult.Counterexample original =
                            new PropertyResult.Counterexample(choices.recorded(), execution.failure);
                    PropertyResult.Counterexample shrunk = original;
                    if (!execution.failure.shrunk()) {
                        Shrinker shrinker = new Shrinker(property, config);
                        long shrinkStart = System.nanoTime();
                        shrunk = shrinker.shrink(original);
                        statistics.addNanos(SHRINKING, System.nanoTime() - shrinkStart);
                        statistics.addAll(shrinker.statistics());
                        Progress.idle();
                    }
                    return new PropertyResult(PropertyResult.Outcome.FAILED, config.seed(), tries, statistics,
                            shrunk.message(), Optional.of(original), Optional.of(shrunk));
                }
                default:
                    break;
            }
            finished = choices;
        }
        List<String> missing = new ArrayList<>();
        for (Requirement r : required) {
            if (statistics.get(r.category(), r.label()) == 0) missing.add(r.toString());
        }
        if (!missing.isEmpty()) {
            return new PropertyResult(PropertyResult.Outcome.FAILED, config.seed(), tries, statistics,
                    "the case this property checks never occurred in " + tries + " test cases: "
                            + String.join(", ", missing) + " (more tries, -D" + RunConfig.TRIES
                            + ", or a better generator)",
                    Optional.empty(), Optional.empty());
        }
        return new PropertyResult(PropertyResult.Outcome.PASSED, config.seed(), tries, statistics, "",
                Optional.empty(), Optional.empty());
    }

    /** The test cases that reached rare labels of one category, whose prefixes later test cases continue. */
    private static final class Corpus {
        /** A label counted fewer times than this in the run so far is rare. */
        private static final long RARE = 8;
        private static final int MAX_ENTRIES = 64;

        private final String category;
        private final List<long[]> entries = new ArrayList<>();
        private int replaced;

        Corpus(String category) {
            this.category = category;
        }

        /** The next test case's choices, recorded in the storage of {@code finished} (a passed test case, or null). */
        Choices next(SplittableRandom random, Choices finished) {
            SplittableRandom fresh = random.split();
            if (entries.isEmpty() || random.nextInt(2) == 0) return Choices.random(fresh, finished);
            long[] parent = entries.get(random.nextInt(entries.size()));
            return Choices.continuing(parent, random.nextInt(parent.length + 1), fresh, finished);
        }

        void offer(Choices choices, Statistics run) {
            for (String label : choices.statistics().labels(category)) {
                if (run.get(category, label) < RARE) {
                    if (entries.size() < MAX_ENTRIES) entries.add(choices.recorded());
                    else entries.set(replaced++ % MAX_ENTRIES, choices.recorded());
                    return;
                }
            }
        }
    }

    /** Runs the property once on the given choices. */
    public static Execution execute(Property property, Choices choices) {
        try {
            property.check(choices);
            return Execution.PASS;
        } catch (PropertyFailure f) {
            return Execution.failed(f);
        } catch (Skip s) {
            return Execution.skipped(s.getMessage());
        } catch (OutOfTime a) {
            throw a;
        } catch (Aborted a) {
            return new Execution(Execution.Kind.ABORTED, null, a.getMessage());
        } catch (Choices.Overrun o) {
            return Execution.INVALID;
        } catch (AssertionError e) {
            return Execution.failed(new PropertyFailure(e.getClass().getName(), String.valueOf(e.getMessage())));
        } catch (Exception | StackOverflowError e) {
            StackTraceElement where = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            return Execution.failed(new PropertyFailure(e.getClass().getName() + "@" + where,
                    e + (where == null ? "" : " at " + where)));
        }
    }

    /** What one test case did. */
    public static final class Execution {
        enum Kind { PASSED, FAILED, SKIPPED, INVALID, ABORTED }

        static final Execution PASS = new Execution(Kind.PASSED, null, null);
        static final Execution INVALID = new Execution(Kind.INVALID, null, null);

        final Kind kind;
        final PropertyFailure failure;
        final String skipReason;

        private Execution(Kind kind, PropertyFailure failure, String skipReason) {
            this.kind = kind;
            this.failure = failure;
            this.skipReason = skipReason;
        }

        static Execution failed(PropertyFailure f) {
            return new Execution(Kind.FAILED, f, null);
        }

        static Execution skipped(String reason) {
            return new Execution(Kind.SKIPPED, null, reason);
        }

        public boolean failed() {
            return kind == Kind.FAILED;
        }

        public Optional<PropertyFailure> failure() {
            return Optional.ofNullable(failure);
        }
    }
}
