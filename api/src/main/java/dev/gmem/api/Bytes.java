package dev.gmem.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes as runs of one value, so that a page of 4096 equal bytes is one run: reads compare,
 * print and store cheaply. Two equal byte strings always have the same runs (adjacent runs
 * of the same value are merged).
 */
public record Bytes(List<Run> runs) {

    /** {@code length} bytes of {@code value}. */
    public record Run(long length, byte value) {
        public Run {
            if (length <= 0) throw new IllegalArgumentException("run length must be positive: " + length);
        }

        @Override
        public String toString() {
            return length + "x" + String.format("%02x", value & 0xff);
        }
    }

    public Bytes {
        runs = List.copyOf(runs);
    }

    public static final Bytes EMPTY = new Bytes(List.of());

    public static Bytes fill(long length, byte value) {
        return length == 0 ? EMPTY : new Bytes(List.of(new Run(length, value)));
    }

    public static Bytes zeros(long length) {
        return fill(length, (byte) 0);
    }

    public static Bytes of(byte[] data) {
        Builder b = new Builder();
        for (byte v : data) b.append(1, v);
        return b.build();
    }

    /** The little-endian encoding of a 64-bit value, as a guest store writes it. */
    public static Bytes ofLong(long value) {
        Builder b = new Builder();
        for (int i = 0; i < Long.BYTES; i++) b.append(1, (byte) (value >>> (8 * i)));
        return b.build();
    }

    public long length() {
        long n = 0;
        for (Run r : runs) n += r.length();
        return n;
    }

    /** The first 8 bytes read as a little-endian 64-bit value. */
    public long toLong() {
        long v = 0;
        long i = 0;
        for (Run r : runs) {
            for (long k = 0; k < r.length() && i < Long.BYTES; k++, i++) v |= (r.value() & 0xffL) << (8 * i);
        }
        return v;
    }

    public byte[] toArray() {
        long n = length();
        if (n > Integer.MAX_VALUE) throw new IllegalStateException("too long for an array: " + n);
        byte[] out = new byte[(int) n];
        int at = 0;
        for (Run r : runs) {
            for (long k = 0; k < r.length(); k++) out[at++] = r.value();
        }
        return out;
    }

    /** The bytes {@code [from, from + length)} of this string. */
    public Bytes slice(long from, long length) {
        Builder b = new Builder();
        long at = 0;
        long end = from + length;
        for (Run r : runs) {
            long lo = Math.max(at, from);
            long hi = Math.min(at + r.length(), end);
            if (lo < hi) b.append(hi - lo, r.value());
            at += r.length();
            if (at >= end) break;
        }
        return b.build();
    }

    public Bytes concat(Bytes other) {
        Builder b = new Builder();
        b.append(this);
        b.append(other);
        return b.build();
    }

    @Override
    public String toString() {
        return runs.toString();
    }

    /** Appends runs, merging neighbours of equal value. */
    public static final class Builder {
        private final List<Run> runs = new ArrayList<>();

        public Builder append(long length, byte value) {
            if (length == 0) return this;
            int last = runs.size() - 1;
            if (last >= 0 && runs.get(last).value() == value) {
                runs.set(last, new Run(runs.get(last).length() + length, value));
            } else {
                runs.add(new Run(length, value));
            }
            return this;
        }

        public Builder append(Bytes bytes) {
            for (Run r : bytes.runs()) append(r.length(), r.value());
            return this;
        }

        public Bytes build() {
            return new Bytes(runs);
        }
    }
}
