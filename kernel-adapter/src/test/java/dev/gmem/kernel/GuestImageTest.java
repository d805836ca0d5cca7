package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.GuestLayout;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GuestImageTest {
    /** Walks the image's page tables like the MMU: the physical address a virtual address maps to, or -1. */
    private static long walk(Memory m, long va) {
        long pml4e = m.getLong(GuestImage.PML4 + 8 * ((va >>> 39) & 511));
        if ((pml4e & 1) == 0) return -1;
        long pdpte = m.getLong((pml4e & ~0xfffL) + 8 * ((va >>> 30) & 511));
        if ((pdpte & 1) == 0) return -1;
        long pde = m.getLong((pdpte & ~0xfffL) + 8 * ((va >>> 21) & 511));
        if ((pde & 1) == 0 || (pde & 0x80) == 0) return -1;
        return (pde & ~0x1fffffL) | (va & 0x1fffff);
    }

    @Test
    void identityMapsEverythingUpToTheEndOfTheCanonicalWindows() {
        try (Memory m = new Memory(GuestImage.SIZE)) {
            GuestImage.write(m, false);
            for (long va : new long[] {0, GuestImage.CODE, GuestImage.SCRATCH, GuestLayout.BASE, GuestLayout.gpa(7, 0x3008),
                    GuestLayout.end() - 8}) {
                assertThat(walk(m, va)).as("0x%x", va).isEqualTo(va);
            }
            assertThat(walk(m, GuestLayout.end() + (2L << 20))).isEqualTo(-1);
        }
    }

    @Test
    void tablesAndCodeFitBelowTheStackAndDoNotOverlap() {
        assertThat(GuestImage.PD + GuestImage.directories() * Kvm.PAGE_SIZE).isLessThanOrEqualTo(GuestImage.CODE);
        assertThat(GuestImage.CODE + GuestImage.code(true).length).isLessThanOrEqualTo(GuestImage.SCRATCH);
        assertThat(GuestImage.STACK_TOP).isLessThanOrEqualTo(GuestImage.SIZE);
        assertThat(GuestImage.SIZE).isLessThanOrEqualTo(GuestLayout.BASE);
    }

    @Test
    void theHypercallInstructionFollowsTheVendor() {
        byte[] intel = GuestImage.code(false);
        byte[] amd = GuestImage.code(true);
        int at = (int) (GuestImage.ENTRY_HYPERCALL - GuestImage.CODE);
        assertThat(new byte[] {intel[at], intel[at + 1], intel[at + 2]}).containsExactly(0x0F, 0x01, 0xC1);
        assertThat(new byte[] {amd[at], amd[at + 1], amd[at + 2]}).containsExactly(0x0F, 0x01, 0xD9);
    }
}
