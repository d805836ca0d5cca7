package dev.gmem.property;

import java.util.HashMap;
import java.util.Map;

/**
 * The choice prefixes the shrinker has already run, as a trie: a run reads its choices one after
 * the other and stops where it fails (or ends), so a candidate whose first choices are exactly
 * what an earlier run read — the choices after them never read, or past the candidate's end the
 * zeros a replay supplies — runs the same way again and need not be run.
 */
final class PrefixCache {
    private static final class Node {
        Map<Long, Node> children;
        /** A run read exactly the choices on the path to here. */
        boolean ran;

        Node child(long value) {
            return children == null ? null : children.get(value);
        }
    }

    private final Node root = new Node();

    /** Records that a run read exactly {@code used}. */
    void add(long[] used) {
        Node n = root;
        for (long v : used) {
            if (n.children == null) n.children = new HashMap<>(4);
            n = n.children.computeIfAbsent(v, k -> new Node());
        }
        n.ran = true;
    }

    /** Whether running {@code candidate} would read a prefix some earlier run read. */
    boolean covers(long[] candidate) {
        Node n = root;
        for (long v : candidate) {
            if (n.ran) return true;
            n = n.child(v);
            if (n == null) return false;
        }
        // past the candidate's end a replay draws zeros
        while (n != null) {
            if (n.ran) return true;
            n = n.child(0L);
        }
        return false;
    }
}
