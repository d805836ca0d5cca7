package dev.gmem.report;

import dev.gmem.api.Edition;

import java.util.List;

/**
 * Turns a failing sequence into a standalone C program (libc and uapi numbers written out) that
 * performs the same operations with the same raw system calls, checks each expected observation,
 * prints where it diverges and exits non-zero.
 */
public final class CReproducer {
    private CReproducer() {
    }

    public static String generate(Edition edition, List<Step> steps) {
        throw new UnsupportedOperationException("filled in by the reports work");
    }
}
