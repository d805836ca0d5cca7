package dev.gmem.model;

import java.util.Arrays;

/**
 * An immutable run-length map from the positions {@code [0, end)} to int values: page states,
 * page birth times, byte contents. A change rebuilds only the array of runs (a few dozen entries
 * in practice), never an array of pages or bytes. Adjacent runs always hold different values.
 */
final class Runs {
    private final long[] starts;
    private final int[] values;
    private final long end;

    private Runs(long[] starts, int[] values, long end) {
        this.starts = starts;
        this.values = values;
        this.end = end;
    }

    static Runs uniform(long end, int value) {
        return new Runs(new long[] {0}, new int[] {value}, end);
    }

    long end() {
        return end;
    }

    int count() {
        return starts.length;
    }

    long start(int run) {
        return starts[run];
    }

    long endOf(int run) {
        return run + 1 < starts.length ? starts[run + 1] : end;
    }

    int value(int run) {
        return values[run];
    }

    /** The run holding {@code pos}, which must lie in {@code [0, end)}. */
    int runAt(long pos) {
        int i = Arrays.binarySearch(starts, pos);
        return i >= 0 ? i : -i - 2;
    }

    int get(long pos) {
        return values[runAt(pos)];
    }

    /** The first position in {@code [from, to)} whose value is {@code value}, or -1. */
    long first(long from, long to, int value) {
        if (from >= to) return -1;
        for (int i = runAt(from); i < starts.length && starts[i] < to; i++) {
            if (values[i] == value) return Math.max(starts[i], from);
        }
        return -1;
    }

    /** The first position in {@code [from, to)} whose value is not {@code value}, or -1. */
    long firstOther(long from, long to, int value) {
        if (from >= to) return -1;
        for (int i = runAt(from); i < starts.length && starts[i] < to; i++) {
            if (values[i] != value) return Math.max(starts[i], from);
        }
        return -1;
    }

    /** The first position in {@code [from, to)} whose value is at most {@code bound}, or -1. */
    long firstAtMost(long from, long to, int bound) {
        if (from >= to) return -1;
        for (int i = runAt(from); i < starts.length && starts[i] < to; i++) {
            if (values[i] <= bound) return Math.max(starts[i], from);
        }
        return -1;
    }

    boolean all(long from, long to, int value) {
        return firstOther(from, to, value) < 0;
    }

    Runs set(long from, long to, int value) {
        if (from >= to) return this;
        int i = runAt(from);
        if (values[i] == value && endOf(i) >= to) return this;
        return splice(from, to, new long[] {to - from}, new int[] {value}, 1);
    }

    /** Replaces 8 positions from {@code from} with the little-endian bytes of {@code value}. */
    Runs setLong(long from, long value) {
        long[] lengths = new long[Long.BYTES];
        int[] vals = new int[Long.BYTES];
        int k = 0;
        for (int b = 0; b < Long.BYTES; b++) {
            int v = (int) (value >>> (8 * b)) & 0xff;
            if (k > 0 && vals[k - 1] == v) {
                lengths[k - 1]++;
            } else {
                lengths[k] = 1;
                vals[k++] = v;
            }
        }
        return splice(from, from + Long.BYTES, lengths, vals, k);
    }

    private Runs splice(long from, long to, long[] segLengths, int[] segValues, int segCount) {
        int n = splice(from, to, segLengths, segValues, segCount, null, null);
        long[] outStarts = new long[n];
        int[] outValues = new int[n];
        splice(from, to, segLengths, segValues, segCount, outStarts, outValues);
        return new Runs(outStarts, outValues, end);
    }

    /** Writes the runs of the spliced map into the arrays (or only counts them when they are null). */
    private int splice(long from, long to, long[] segLengths, int[] segValues, int segCount,
                       long[] outStarts, int[] outValues) {
        int first = runAt(from);
        int n = 0;
        int lastValue = 0;
        for (int r = 0; r < first; r++) {
            if (outStarts != null) {
                outStarts[n] = starts[r];
                outValues[n] = values[r];
            }
            n++;
            lastValue = values[r];
        }
        if (starts[first] < from) {
            if (outStarts != null) {
                outStarts[n] = starts[first];
                outValues[n] = values[first];
            }
            n++;
            lastValue = values[first];
        }
        long pos = from;
        for (int s = 0; s < segCount; s++) {
            if (n == 0 || lastValue != segValues[s]) {
                if (outStarts != null) {
                    outStarts[n] = pos;
                    outValues[n] = segValues[s];
                }
                n++;
                lastValue = segValues[s];
            }
            pos += segLengths[s];
        }
        if (to < end) {
            int last = runAt(to);
            for (int r = last; r < starts.length; r++) {
                if (lastValue != values[r]) {
                    if (outStarts != null) {
                        outStarts[n] = r == last ? to : starts[r];
                        outValues[n] = values[r];
                    }
                    n++;
                    lastValue = values[r];
                }
            }
        }
        return n;
    }

    /** Same map: runs are kept merged, so equal maps have equal arrays. */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        return o instanceof Runs r && end == r.end && Arrays.equals(starts, r.starts) && Arrays.equals(values, r.values);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(end) * 31 + Arrays.hashCode(starts)) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < starts.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(starts[i]).append("..").append(endOf(i)).append('=').append(values[i]);
        }
        return sb.append(']').toString();
    }
}
