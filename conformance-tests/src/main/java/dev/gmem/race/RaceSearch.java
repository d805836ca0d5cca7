package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.model.ReferenceModel;

import java.util.Optional;

/**
 * Looks for a concurrent case whose history the model cannot explain: cases from the config's
 * seed, each run several times, until one fails, the cases are used up or the budget is spent;
 * the failure is then shrunk ({@link RaceShrinker}).
 */
public final class RaceSearch {
    private RaceSearch() {
    }

    /**
     * How a search came out. {@code skipped} says why nothing ran; otherwise {@code original} and
     * {@code shrunk} are the failure as found and as shrunk, both empty when every history was linearizable.
     */
    public record Result(String skipped, int cases, int runs, Optional<RaceFailure> original,
                         Optional<RaceFailure> shrunk, int shrinkAttempts) {

        public boolean passed() {
            return skipped.isEmpty() && original.isEmpty();
        }

        /** The failure for a report: the shrunk case and its history, with the original's size. */
        public String message() {
            if (!skipped.isEmpty()) return skipped;
            if (original.isEmpty()) return "every history of " + cases + " cases (" + runs + " runs) was linearizable";
            RaceFailure o = original.get();
            RaceFailure s = shrunk.orElse(o);
            return s.kind() + " after " + cases + " case(s), " + runs + " run(s); shrunk from " + o.testCase().threads().size()
                    + " threads and " + o.testCase().operations() + " operations in " + shrinkAttempts + " attempts\n"
                    + "replay: RaceRun.replay of case seed " + o.testCase().seed() + " (the original) reruns it N times\n"
                    + s.describe();
        }
    }

    public static Result search(Target target, Edition edition, Mix mix, RaceConfig config) {
        if (!target.threadSafeSessions()) {
            return skipped("target " + target.name() + " has no thread-safe sessions (concurrent kernel sessions are phase 2)");
        }
        if (!target.editions().contains(edition)) return skipped("target " + target.name() + " does not speak " + edition.name());
        ReferenceModel model = ReferenceModel.of(edition);
        CaseGen gen = new CaseGen(edition, target.capabilities(edition), mix);
        long deadline = System.nanoTime() + config.budget().toNanos();
        int cases = 0;
        int runs = 0;
        try {
            while (cases < config.cases() && (cases == 0 || System.nanoTime() < deadline)) {
                ConcurrentCase c = gen.generate(config.caseSeed(cases));
                cases++;
                if (c.threads().size() < 2) continue;
                for (int r = 0; r < config.runsPerCase(); r++) {
                    runs++;
                    Optional<RaceFailure> f = RaceRun.once(target, edition, model, c, RaceConfig.runSeed(c.seed(), r));
                    if (f.isPresent()) {
                        RaceShrinker shrinker = new RaceShrinker(target, edition, model, config);
                        RaceFailure shrunk = shrinker.shrink(f.get());
                        return new Result("", cases, runs, f, Optional.of(shrunk), shrinker.attempts());
                    }
                }
            }
        } catch (TargetException e) {
            return skipped(e.getMessage());
        }
        return new Result("", cases, runs, Optional.empty(), Optional.empty(), 0);
    }

    private static Result skipped(String why) {
        return new Result(why, 0, 0, Optional.empty(), Optional.empty(), 0);
    }
}
