package dev.gmem.model;

import dev.gmem.api.Operation;

/**
 * The bytes a write in flight puts at guest_memfd offsets {@code [offset, offset + length)} of one
 * file, as a racing read may see them one by one: a host write's fill, or a guest store's value
 * (little-endian, 8 bytes).
 */
record InFlightWrite(long offset, long length, long value, boolean fill) {

    static InFlightWrite of(Operation.HostWrite w) {
        return new InFlightWrite(w.offset(), w.length(), w.fill() & 0xff, true);
    }

    /** A guest store of {@code value} landing at file offset {@code offset}. */
    static InFlightWrite guestStore(long offset, long value) {
        return new InFlightWrite(offset, Long.BYTES, value, false);
    }

    boolean covers(long pos) {
        return pos >= offset && pos - offset < length;
    }

    boolean overlaps(long from, long size) {
        return offset < from + size && from < offset + length;
    }

    /** The unsigned byte written at {@code pos}, which {@link #covers} must hold. */
    int byteAt(long pos) {
        return fill ? (int) value : (int) (value >>> (8 * (pos - offset))) & 0xff;
    }

    /** In words, e.g. {@code the host write of 0x7 at 0x0+0x10}. */
    String describe() {
        return (fill ? "the host write of 0x" : "the guest store of 0x") + Long.toHexString(value) + " at 0x"
                + Long.toHexString(offset) + "+0x" + Long.toHexString(length);
    }
}
