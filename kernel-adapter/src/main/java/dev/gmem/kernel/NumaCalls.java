package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Mempolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The NUMA system calls, one helper each: mbind, get_mempolicy and move_pages (without target nodes, which only
 * reports where pages are). The kernel does every access; nothing here reads a guest_memfd page.
 */
final class NumaCalls {
    /** The nodes with memory, as a cpulist ({@code 0-1,3}). */
    static final String NODES_WITH_MEMORY = "/sys/devices/system/node/has_memory";

    private NumaCalls() {
    }

    /** The kernel's number for a mode (include/uapi/linux/mempolicy.h). */
    static int number(Mempolicy.Mode mode) {
        return switch (mode) {
            case DEFAULT -> LibC.MPOL_DEFAULT;
            case PREFERRED -> LibC.MPOL_PREFERRED;
            case BIND -> LibC.MPOL_BIND;
            case INTERLEAVE -> LibC.MPOL_INTERLEAVE;
        };
    }

    /** The mode of a kernel number, or null for one the kit does not set (MPOL_LOCAL, ...). */
    static Mempolicy.Mode mode(int number) {
        for (Mempolicy.Mode m : Mempolicy.Mode.values()) if (number(m) == number) return m;
        return null;
    }

    /** mbind(address, length, mode, nodes, 64, 0): 0 or the errno. */
    static int mbind(long address, long length, Mempolicy policy) {
        try (Memory mask = new Memory(Long.BYTES)) {
            mask.setLong(0, policy.nodes());
            long rc = LibC.syscall(LibC.SYS_MBIND, address, length, number(policy.mode()),
                    policy.mode() == Mempolicy.Mode.DEFAULT ? 0 : com.sun.jna.Pointer.nativeValue(mask),
                    policy.mode() == Mempolicy.Mode.DEFAULT ? 0 : LibC.NODEMASK_BITS, 0);
            return rc < 0 ? LibC.errno() : 0;
        }
    }

    /** What get_mempolicy(MPOL_F_ADDR) answers at {@code address}: {mode, nodes} or {-1, errno}. */
    static long[] getMempolicy(long address) {
        try (Memory mode = new Memory(Integer.BYTES); Memory mask = new Memory(Long.BYTES)) {
            mode.setInt(0, -1);
            mask.setLong(0, 0);
            long rc = LibC.syscall(LibC.SYS_GET_MEMPOLICY, com.sun.jna.Pointer.nativeValue(mode),
                    com.sun.jna.Pointer.nativeValue(mask), LibC.NODEMASK_BITS, address, LibC.MPOL_F_ADDR, 0);
            if (rc < 0) return new long[] {-1, LibC.errno()};
            return new long[] {mode.getInt(0) & 0xff, mask.getLong(0)};
        }
    }

    /** move_pages(0, pages, addresses, NULL, status, 0): per page its node or a negative errno; null with errno kept on failure. */
    static int[] pageNodes(long address, int pages) {
        try (Memory addresses = new Memory((long) pages * Long.BYTES); Memory status = new Memory((long) pages * Integer.BYTES)) {
            for (int i = 0; i < pages; i++) {
                addresses.setLong((long) i * Long.BYTES, address + (long) i * Kvm.PAGE_SIZE);
                status.setInt((long) i * Integer.BYTES, Integer.MIN_VALUE);
            }
            long rc = LibC.syscall(LibC.SYS_MOVE_PAGES, 0, pages, com.sun.jna.Pointer.nativeValue(addresses), 0,
                    com.sun.jna.Pointer.nativeValue(status), 0);
            if (rc < 0) return null;
            return status.getIntArray(0, pages);
        }
    }

    /** The nodes with memory, bit n for node n (nodes above 63 are left out); 1 (node 0) where sysfs has no NUMA. */
    static long nodesWithMemory() {
        try {
            return cpulist(Files.readString(Path.of(NODES_WITH_MEMORY)));
        } catch (IOException e) {
            return 1;
        }
    }

    /** Parses a cpulist such as {@code 0-1,3} into a mask. */
    static long cpulist(String text) {
        long mask = 0;
        for (String part : text.trim().split(",")) {
            if (part.isEmpty()) continue;
            int dash = part.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            for (int n = from; n <= to && n < Long.SIZE; n++) mask |= 1L << n;
        }
        return mask;
    }
}
