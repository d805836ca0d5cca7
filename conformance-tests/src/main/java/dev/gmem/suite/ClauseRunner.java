package dev.gmem.suite;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.Session;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.api.TargetTimeout;
import dev.gmem.api.outcome.ClauseOutcome;
import dev.gmem.api.outcome.RaceCase;
import dev.gmem.api.outcome.Status;
import dev.gmem.api.outcome.Step;
import dev.gmem.model.ReferenceModel;
import dev.gmem.property.OutOfTime;
import dev.gmem.property.Choices;
import dev.gmem.property.Property;
import dev.gmem.property.PropertyResult;
import dev.gmem.property.PropertyRunner;
import dev.gmem.property.RunConfig;
import dev.gmem.property.Skip;
import dev.gmem.property.Statistics;
import dev.gmem.suite.clauses.SeqClauses;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Decides one clause on one target and edition by running its properties. */
public final class ClauseRunner {
    private ClauseRunner() {
    }

    /** The outcome and, for a failure, the shrunk failing sequence's full text. */
    public record Decision(ClauseOutcome outcome, String message, int originalLength) {
    }

    public static Decision run(Target target, Clause clause, Edition edition, RunConfig config) {
        long start = System.nanoTime();
        Statistics statistics = new Statistics();
        Decision d = decide(target, clause, edition, config, statistics);
        Timings.record(ItemTiming.of(d.outcome(), System.nanoTime() - start, statistics));
        return d;
    }

    private static Decision decide(Target target, Clause clause, Edition edition, RunConfig config, Statistics statistics) {
        String replay = replayCommand(target, clause, config);
        if (!target.editions().contains(edition) || !clause.bindsEdition(edition)) {
            String reason = notBoundReason(target, clause);
            return new Decision(outcome(target, clause, edition, Status.SKIPPED, reason, config, replay, List.of(), List.of()),
                    reason, 0);
        }
        List<ClauseProperty> properties = clause.checks();
        if (properties.isEmpty()) {
            String reason = "no property checks " + clause.id();
            return new Decision(outcome(target, clause, edition, Status.FAILED, reason, config, replay, List.of(), List.of()),
                    reason, 0);
        }
        Capabilities capabilities = target.capabilities(edition);
        ReferenceModel model = ReferenceModel.of(edition, target.kernelFacts(edition));
        List<String> skips = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        int index = 0;
        for (ClauseProperty p : properties) {
            RunConfig own = config.withSeed(propertySeed(config.seed(), target, clause, edition, index++))
                    .withTries(Math.max(1, (int) Math.round(config.tries() * p.triesFactor())));
            PropertyResult r;
            try {
                r = PropertyRunner.run(own, asProperty(target, edition, capabilities, model, p), p.required(),
                        p.guided() ? Checker.EVENTS : null);
            } catch (OutOfTime timedOut) {
                String reason = clause.id() + " on " + target.name() + " (" + edition.name() + "), " + p.name() + ": "
                        + timedOut.getMessage();
                return new Decision(outcome(target, clause, edition, Status.TIMED_OUT, reason, config, replay, List.of(),
                        statisticsLines(-1, statistics)), reason, 0);
            }
            statistics.addAll(r.statistics());
            if (r.outcome() == PropertyResult.Outcome.FAILED) {
                Status failed = clause.level(edition) == Clause.Level.OPTIONAL ? Status.OPTIONAL_FAILED : Status.FAILED;
                List<Step> shrunk = r.shrunk().map(ce -> ce.failure() instanceof SequenceFailure f ? f.steps() : List.<Step>of())
                        .orElse(List.of());
                RaceCase race = r.shrunk().map(ce -> ce.failure() instanceof ConcurrentFailure f ? f.race() : null).orElse(null);
                int originalLength = r.original().map(ce -> ce.failure() instanceof SequenceFailure f ? f.steps().size() : 0)
                        .orElse(0);
                String message = failureMessage(target, clause, edition, config, replay, r, p);
                List<String> stats = statisticsLines(r.tries(), statistics);
                return new Decision(outcome(target, clause, edition, failed, message, config, replay, shrunk, stats, race),
                        message, originalLength);
            }
            if (r.outcome() == PropertyResult.Outcome.ABORTED) {
                String reason = clause.id() + " on " + target.name() + ": " + r.reason()
                        + " (Session.apply must answer every error as an observation; this is the target's bug, not a verdict)";
                return new Decision(outcome(target, clause, edition, Status.TARGET_ERROR, reason, config, replay, List.of(),
                        statisticsLines(r.tries(), statistics)), reason, 0);
            }
            if (r.outcome() == PropertyResult.Outcome.SKIPPED) skips.add(r.reason());
            else ran.add(ran(p, r, own));
        }
        List<String> stats = statisticsLines(-1, statistics);
        if (!ran.isEmpty()) stats.add(0, "test cases: " + String.join("; ", ran));
        if (clause == SeqClauses.SEQ) stats.addAll(Reach.lines(statistics, edition));
        if (!skips.isEmpty()) {
            String reason = clause.id() + " on " + target.name() + ": " + String.join("; ", skips.stream().distinct().toList());
            return new Decision(outcome(target, clause, edition, Status.SKIPPED, reason, config, replay, List.of(), stats),
                    reason, 0);
        }
        return new Decision(outcome(target, clause, edition, Status.PASSED, "", config, replay, List.of(), stats), "", 0);
    }

    /** One test case: a fresh session on the target, checked step by step against the model. */
    static Property asProperty(Target target, Edition edition, Capabilities capabilities, ReferenceModel model, ClauseProperty p) {
        return (Choices choices) -> {
            Session session;
            try {
                session = target.open(edition);
            } catch (TargetException e) {
                throw new Skip(e.getMessage());
            } catch (TargetTimeout t) {
                throw new OutOfTime(t.getMessage());
            }
            Checker k = new Checker(edition, model, session, capabilities, choices, target.threadSafeSessions());
            try (session) {
                p.body().run(k.withTarget(target));
            } catch (TargetTimeout t) {
                throw new OutOfTime(t.getMessage());
            } finally {
                k.countStatistics();
            }
        };
    }

    /** Why a clause is not checked on a target: the editions it binds against the ones the target speaks. */
    static String notBoundReason(Target target, Clause clause) {
        // one line: the target's facts are the run's, reported once (run.json, the reports' run facts)
        String speaks = target.editions().stream().map(Edition::name).collect(Collectors.joining(", "));
        if (clause.binds() instanceof EditionNeed need) {
            return clause.id() + " needs " + need.what() + " (editions " + clause.bindsNames() + "); target " + target.name()
                    + " speaks " + speaks;
        }
        return clause.id() + " binds " + clause.bindsNames() + "; target " + target.name() + " speaks " + speaks;
    }

    /** Each property's seed follows from the run's seed, so one printed seed replays the whole run. */
    static long propertySeed(long runSeed, Target target, Clause clause, Edition edition, int index) {
        long h = runSeed * 0x9E3779B97F4A7C15L;
        h ^= (target.name() + "|" + clause.id() + "|" + edition.name() + "|" + index).hashCode();
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }

    public static String replayCommand(Target target, Clause clause, RunConfig config) {
        return "./gmem-conformance" + Plugins.options(Plugins.fromSystem()) + " --target " + target.name() + " --clause " + clause.id() + " --seed " + config.seed()
                + " --tries " + config.tries();
    }

    private static String failureMessage(Target target, Clause clause, Edition edition, RunConfig config, String replay,
                                         PropertyResult r, ClauseProperty p) {
        StringBuilder b = new StringBuilder();
        b.append(clause.id()).append(clause.level(edition) == Clause.Level.OPTIONAL ? " (optional) failed on " : " failed on ").append(target.name()).append(" (edition ").append(edition.name())
                .append("): ").append(p.name()).append('\n');
        b.append("seed ").append(config.seed()).append(", found after ").append(r.tries()).append(" test case(s)\n");
        b.append("replay: ").append(replay).append('\n');
        r.shrunk().ifPresent(s -> b.append("shrunk: ").append(s.message()).append('\n'));
        // a failure shrunk where it was found (a race) is its own original: said once
        r.original().filter(o -> r.shrunk().map(s -> s != o).orElse(true)).ifPresent(o -> b.append("original: ").append(o.message()));
        if (r.shrunk().isEmpty()) b.append(r.reason());
        return b.toString();
    }

    /** The outcome of a clause the run could not decide in time (a hung call, the run's deadline). */
    public static ClauseOutcome timedOut(Target target, Clause clause, Edition edition, RunConfig config, String reason) {
        return outcome(target, clause, edition, Status.TIMED_OUT, reason, config, replayCommand(target, clause, config),
                List.of(), List.of());
    }

    /** How many test cases a passed property ran, and what ended it when that is fewer than asked. */
    static String ran(ClauseProperty p, PropertyResult r, RunConfig own) {
        String line = r.tries() + " of " + own.tries() + " (" + p.name();
        return r.tries() < own.tries() ? line + "; the time budget of " + own.timeBudget().toMillis() + " ms per property ended it: --time)"
                : line + ")";
    }

    private static List<String> statisticsLines(int tries, Statistics statistics) {
        List<String> out = new ArrayList<>();
        if (tries >= 0) out.add("test cases: " + tries);
        out.addAll(statistics.lines());
        if (statistics.asMap().containsKey(Checker.CASES)) {
            List<String> never = statistics.zeros(Checker.CASES);
            out.add("cases never reached: " + (never.isEmpty() ? "none" : String.join(", ", never)));
        }
        return out;
    }

    private static ClauseOutcome outcome(Target target, Clause clause, Edition edition, Status status, String reason,
                                         RunConfig config, String replay, List<Step> shrunk, List<String> statistics) {
        return outcome(target, clause, edition, status, reason, config, replay, shrunk, statistics, null);
    }

    private static ClauseOutcome outcome(Target target, Clause clause, Edition edition, Status status, String reason,
                                         RunConfig config, String replay, List<Step> shrunk, List<String> statistics,
                                         RaceCase race) {
        return new ClauseOutcome(clause.id(), clause.group(), clause.sentence(), clause.peerTests(), target.name(),
                edition.name(), status, reason, config.seed(), replay, shrunk, statistics, race);
    }
}
