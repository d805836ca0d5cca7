package dev.gmem.kernel;

import dev.gmem.api.Observation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How this process's mapping of {@code [address, address + length)} is backed, from /proc/self/smaps: the
 * largest KernelPageSize and the sums of AnonHugePages and FilePmdMapped over the VMAs inside the range.
 */
final class Smaps {
    static final String SMAPS = "/proc/self/smaps";

    private Smaps() {
    }

    /** The pages of the range, or null when no VMA of smaps lies inside it. */
    static Observation.MappingPages of(long address, long length) throws IOException {
        return parse(Files.readAllLines(Path.of(SMAPS)), address, length);
    }

    static Observation.MappingPages parse(List<String> lines, long address, long length) {
        long end = address + length;
        boolean inside = false;
        boolean any = false;
        long pageSize = 0;
        long anonHuge = 0;
        long filePmd = 0;
        for (String line : lines) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && isHex(line, 0, dash) && isHex(line, dash + 1, space)) {
                long from = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long to = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = from >= address && to <= end;
                any |= inside;
                continue;
            }
            if (!inside) continue;
            if (line.startsWith("KernelPageSize:")) pageSize = Math.max(pageSize, kilobytes(line));
            else if (line.startsWith("AnonHugePages:")) anonHuge += kilobytes(line);
            else if (line.startsWith("FilePmdMapped:")) filePmd += kilobytes(line);
        }
        return any ? new Observation.MappingPages(pageSize, anonHuge, filePmd) : null;
    }

    private static boolean isHex(String s, int from, int to) {
        if (to <= from) return false;
        for (int i = from; i < to; i++) if (Character.digit(s.charAt(i), 16) < 0) return false;
        return true;
    }

    /** {@code Name:   123 kB} in bytes. */
    private static long kilobytes(String line) {
        String[] f = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(f[0]) * 1024;
    }
}
