package dev.gmem.model;

/**
 * An immutable map from page index to that page's byte runs: a 32-way trie whose depth fits
 * the file, so that changing one page copies one short path, never an array of all pages.
 */
final class PageTrie {
    private static final int BITS = 5;
    private static final int WIDTH = 1 << BITS;
    private static final int MASK = WIDTH - 1;

    private final Object[] root;
    private final int depth;

    private PageTrie(Object[] root, int depth) {
        this.root = root;
        this.depth = depth;
    }

    static PageTrie empty(long pages) {
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, pages - 1));
        return new PageTrie(new Object[WIDTH], Math.max(1, (bits + BITS - 1) / BITS));
    }

    Runs get(long page) {
        Object[] node = root;
        for (int level = depth - 1; level > 0; level--) {
            node = (Object[]) node[(int) (page >>> (level * BITS)) & MASK];
            if (node == null) return null;
        }
        return (Runs) node[(int) page & MASK];
    }

    PageTrie put(long page, Runs runs) {
        return new PageTrie(put(root, depth - 1, page, runs), depth);
    }

    private static Object[] put(Object[] node, int level, long page, Runs runs) {
        Object[] copy = node == null ? new Object[WIDTH] : node.clone();
        int slot = (int) (page >>> (level * BITS)) & MASK;
        copy[slot] = level == 0 ? runs : put((Object[]) copy[slot], level - 1, page, runs);
        return copy;
    }
}
