package dev.gmem.kernel;

import com.sun.jna.Pointer;

/** The special registers of a flat 64-bit guest with paging on (as the KVM selftests set them). */
final class LongMode {
    static final long CR0_PE = 1L;
    static final long CR0_NE = 1L << 5;
    static final long CR0_PG = 1L << 31;
    static final long CR4_PAE = 1L << 5;
    static final long EFER_LME = 1L << 8;
    static final long EFER_LMA = 1L << 10;
    static final int CODE_SELECTOR = 0x8;
    static final int DATA_SELECTOR = 0x10;
    static final int TSS_SELECTOR = 0x18;

    private LongMode() {
    }

    static void apply(Pointer sregs) {
        sregs.setLong(Structs.Sregs.CR0, CR0_PE | CR0_NE | CR0_PG);
        sregs.setLong(Structs.Sregs.CR3, GuestImage.PML4);
        sregs.setLong(Structs.Sregs.CR4, CR4_PAE);
        sregs.setLong(Structs.Sregs.EFER, EFER_LME | EFER_LMA);
        segment(sregs, Structs.Sregs.CS, CODE_SELECTOR, 11, 1, 0, 1);
        for (int seg : new int[] {Structs.Sregs.DS, Structs.Sregs.ES, Structs.Sregs.FS, Structs.Sregs.GS,
                Structs.Sregs.SS}) {
            segment(sregs, seg, DATA_SELECTOR, 3, 1, 1, 0);
        }
        segment(sregs, Structs.Sregs.TR, TSS_SELECTOR, 11, 0, 0, 0);
        sregs.setInt(Structs.Sregs.TR + Structs.Segment.LIMIT, 0x67);
        sregs.setByte(Structs.Sregs.TR + Structs.Segment.G, (byte) 0);
    }

    private static void segment(Pointer sregs, int at, int selector, int type, int s, int db, int l) {
        sregs.setLong(at + Structs.Segment.BASE, 0);
        sregs.setInt(at + Structs.Segment.LIMIT, 0xffffffff);
        sregs.setShort(at + Structs.Segment.SELECTOR, (short) selector);
        sregs.setByte(at + Structs.Segment.TYPE, (byte) type);
        sregs.setByte(at + Structs.Segment.PRESENT, (byte) 1);
        sregs.setByte(at + Structs.Segment.DPL, (byte) 0);
        sregs.setByte(at + Structs.Segment.DB, (byte) db);
        sregs.setByte(at + Structs.Segment.S, (byte) s);
        sregs.setByte(at + Structs.Segment.L, (byte) l);
        sregs.setByte(at + Structs.Segment.G, (byte) 1);
        sregs.setByte(at + Structs.Segment.AVL, (byte) 0);
        sregs.setByte(at + Structs.Segment.UNUSABLE, (byte) 0);
    }
}
