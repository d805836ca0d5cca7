package dev.gmem.api;

/**
 * A NUMA memory policy as mbind and get_mempolicy speak it (include/uapi/linux/mempolicy.h): a mode and
 * the nodes it names, bit n for node n (none for DEFAULT, one for PREFERRED).
 */
public record Mempolicy(Mode mode, long nodes) {

    /** The modes the kit sets; the kernel's numbers are the adapter's. */
    public enum Mode { DEFAULT, PREFERRED, BIND, INTERLEAVE }

    public static final Mempolicy DEFAULT = new Mempolicy(Mode.DEFAULT, 0);

    /** Whether mbind takes it: DEFAULT names no node, PREFERRED one, BIND and INTERLEAVE at least one. */
    public boolean wellFormed() {
        return switch (mode) {
            case DEFAULT -> nodes == 0;
            case PREFERRED -> Long.bitCount(nodes) == 1;
            case BIND, INTERLEAVE -> nodes != 0;
        };
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase() + (nodes == 0 ? "" : " nodes 0x" + Long.toHexString(nodes));
    }
}
