package dev.gmem.race;

import dev.gmem.api.Operation;

import java.util.List;

/**
 * A concurrent test case: a prefix run sequentially from a fresh session, then 2–4 threads that
 * start together on a barrier. {@code seed} made it (and picks each run's start delays).
 */
public record ConcurrentCase(long seed, List<Operation> prefix, List<ThreadScript> threads) {

    public ConcurrentCase {
        prefix = List.copyOf(prefix);
        threads = List.copyOf(threads);
    }

    public int operations() {
        int n = prefix.size();
        for (ThreadScript t : threads) n += t.steps().size();
        return n;
    }

    public List<ThreadScript.Role> roles() {
        return threads.stream().map(ThreadScript::role).toList();
    }

    /** The case as text: prefix first, then each thread's steps. */
    public String describe() {
        StringBuilder b = new StringBuilder("case seed ").append(seed).append(": ").append(threads.size())
                .append(" threads, ").append(operations()).append(" operations\n  prefix:");
        for (Operation o : prefix) b.append("\n    ").append(Notation.of(o));
        for (int t = 0; t < threads.size(); t++) {
            b.append("\n  thread ").append(t).append(" (").append(threads.get(t).role().name().toLowerCase()).append("):");
            for (Step s : threads.get(t).steps()) b.append("\n    ").append(s);
        }
        return b.toString();
    }
}
