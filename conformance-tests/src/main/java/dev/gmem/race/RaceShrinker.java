package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.api.Operation;
import dev.gmem.api.Target;
import dev.gmem.api.TargetException;
import dev.gmem.model.ReferenceModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/**
 * Makes a failing concurrent case smaller while it still fails the same way: fewer threads, fewer
 * steps, fewer prefix operations, smaller ranges (one page, one word). A race shows in some runs
 * only, so a candidate is run up to {@link RaceConfig#shrinkRuns} times and kept at its first
 * failure; the first candidate kept restarts the passes, biggest cuts first.
 */
final class RaceShrinker {
    private final Target target;
    private final Edition edition;
    private final ReferenceModel model;
    private final RaceConfig config;
    private int attempts;

    RaceShrinker(Target target, Edition edition, ReferenceModel model, RaceConfig config) {
        this.target = target;
        this.edition = edition;
        this.model = model;
        this.config = config;
    }

    int attempts() {
        return attempts;
    }

    RaceFailure shrink(RaceFailure original) throws TargetException {
        long deadline = System.nanoTime() + config.shrinkBudget().toNanos();
        RaceFailure best = original;
        boolean improved = true;
        while (improved && System.nanoTime() < deadline) {
            improved = false;
            for (ConcurrentCase candidate : candidates(best.testCase())) {
                if (System.nanoTime() >= deadline) break;
                attempts++;
                Optional<RaceFailure> f = RaceRun.upTo(target, edition, model, candidate, config.shrinkRuns(), best.kind(), deadline);
                if (f.isPresent()) {
                    best = f.get();
                    improved = true;
                    break;
                }
            }
        }
        return best;
    }

    /** Smaller cases, biggest cuts first. */
    static List<ConcurrentCase> candidates(ConcurrentCase c) {
        List<ConcurrentCase> out = new ArrayList<>();
        List<ThreadScript> threads = c.threads();
        if (threads.size() > 1) {
            for (int t = 0; t < threads.size(); t++) {
                List<ThreadScript> fewer = new ArrayList<>(threads);
                fewer.remove(t);
                out.add(new ConcurrentCase(c.seed(), c.prefix(), fewer));
            }
        }
        for (int t = 0; t < threads.size(); t++) {
            List<Step> steps = threads.get(t).steps();
            for (int s = 0; s < steps.size(); s++) {
                List<Step> fewer = new ArrayList<>(steps);
                fewer.remove(s);
                out.add(withThread(c, t, fewer));
            }
        }
        // the first prefix operation creates the guest_memfd everything names
        for (int i = c.prefix().size() - 1; i >= 1; i--) {
            List<Operation> fewer = new ArrayList<>(c.prefix());
            fewer.remove(i);
            out.add(new ConcurrentCase(c.seed(), fewer, threads));
        }
        for (int t = 0; t < threads.size(); t++) {
            List<Step> steps = threads.get(t).steps();
            for (int s = 0; s < steps.size(); s++) {
                if (!(steps.get(s) instanceof Step.Fixed f)) continue;
                for (Operation smaller : smaller(f.operation())) {
                    List<Step> edited = new ArrayList<>(steps);
                    edited.set(s, new Step.Fixed(smaller));
                    out.add(withThread(c, t, edited));
                }
            }
        }
        return out;
    }

    private static ConcurrentCase withThread(ConcurrentCase c, int t, List<Step> steps) {
        List<ThreadScript> threads = new ArrayList<>(c.threads());
        if (steps.isEmpty()) threads.remove(t);
        else threads.set(t, new ThreadScript(threads.get(t).role(), steps));
        return new ConcurrentCase(c.seed(), c.prefix(), threads);
    }

    /** The same operation on a smaller range: its first page, or one word of it. */
    static List<Operation> smaller(Operation op) {
        List<Operation> out = new ArrayList<>();
        if (op instanceof Operation.Convert c && c.size() > PAGE_SIZE) {
            out.add(Operation.Convert.of(c.gmem(), c.offset(), PAGE_SIZE, c.target()));
        } else if (op instanceof Operation.Pin p && p.length() > PAGE_SIZE) {
            out.add(new Operation.Pin(p.gmem(), p.offset(), PAGE_SIZE));
        } else if (op instanceof Operation.PunchHole p && p.length() > PAGE_SIZE) {
            out.add(new Operation.PunchHole(p.gmem(), p.offset(), PAGE_SIZE));
        } else if (op instanceof Operation.HostRead r && r.length() > 8) {
            if (r.length() > PAGE_SIZE) out.add(new Operation.HostRead(r.gmem(), r.offset(), PAGE_SIZE, r.view()));
            out.add(new Operation.HostRead(r.gmem(), r.offset(), 8, r.view()));
        } else if (op instanceof Operation.HostWrite w && w.length() > 8) {
            if (w.length() > PAGE_SIZE) out.add(new Operation.HostWrite(w.gmem(), w.offset(), PAGE_SIZE, w.fill(), w.view()));
            out.add(new Operation.HostWrite(w.gmem(), w.offset(), 8, w.fill(), w.view()));
        }
        return out;
    }
}
