package dev.gmem.kernel;

import com.sun.jna.Pointer;
import dev.gmem.api.GuestLayout;

/**
 * The tiny 64-bit guest, laid out in one ordinary memslot at the bottom of guest physical memory
 * (below {@link GuestLayout#BASE}): identity page tables with 2 MiB pages up to
 * {@link GuestLayout#end()}, and three entry points that load, store or ask for a conversion at
 * the GPA given in a register, then report on port {@link ExitDecoder#REPORT_PORT} and halt.
 */
final class GuestImage {
    static final long SIZE = 0x10000;
    static final long PML4 = 0x1000;
    static final long PDPT = 0x2000;
    static final long PD = 0x3000;
    static final long CODE = 0x8000;
    static final long SCRATCH = 0x9000;
    static final long STACK_TOP = 0xF000;

    /** mov rax, [rsi]; out 0xE9, al; hlt; jmp .-1 */
    static final long ENTRY_READ = CODE;
    /** mov [rsi], rdx; out 0xE9, al; hlt; jmp .-1 */
    static final long ENTRY_WRITE = CODE + 0x10;
    /** vmcall (vmmcall on AMD) with rax = nr, rbx/rcx/rdx = args; out 0xE9, al; hlt */
    static final long ENTRY_HYPERCALL = CODE + 0x20;

    private static final long PTE_PRESENT = 1;
    private static final long PTE_WRITE = 2;
    private static final long PTE_LARGE = 0x80;
    private static final long LARGE_PAGE = 2L << 20;

    private GuestImage() {
    }

    static byte[] code(boolean amd) {
        byte[] image = new byte[0x30];
        byte[] read = {0x48, (byte) 0x8B, 0x06, (byte) 0xE6, (byte) 0xE9, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};
        byte[] write = {0x48, (byte) 0x89, 0x16, (byte) 0xE6, (byte) 0xE9, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};
        byte[] hypercall = {0x0F, 0x01, (byte) (amd ? 0xD9 : 0xC1), (byte) 0xE6, (byte) 0xE9, (byte) 0xF4,
                (byte) 0xEB, (byte) 0xFD};
        System.arraycopy(read, 0, image, 0, read.length);
        System.arraycopy(write, 0, image, 0x10, write.length);
        System.arraycopy(hypercall, 0, image, 0x20, hypercall.length);
        return image;
    }

    /** Number of page directories needed to map up to {@link GuestLayout#end()}. */
    static int directories() {
        long gib = 1L << 30;
        return (int) ((GuestLayout.end() + gib - 1) / gib);
    }

    /** Writes page tables and code into {@code memory} (the slot's userspace memory, ordinary anonymous pages). */
    static void write(Pointer memory, boolean amd) {
        memory.clear(SIZE);
        memory.setLong(PML4, PDPT | PTE_PRESENT | PTE_WRITE);
        int dirs = directories();
        for (int d = 0; d < dirs; d++) {
            memory.setLong(PDPT + 8L * d, (PD + Kvm.PAGE_SIZE * d) | PTE_PRESENT | PTE_WRITE);
        }
        long pages = (GuestLayout.end() + LARGE_PAGE - 1) / LARGE_PAGE;
        for (long i = 0; i < pages; i++) {
            memory.setLong(PD + 8 * i, i * LARGE_PAGE | PTE_PRESENT | PTE_WRITE | PTE_LARGE);
        }
        byte[] code = code(amd);
        memory.write(CODE, code, 0, code.length);
    }
}
