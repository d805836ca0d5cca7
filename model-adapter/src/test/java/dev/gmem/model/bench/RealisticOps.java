package dev.gmem.model.bench;

import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;

import java.util.Random;

/**
 * Random realistic sequences on one 64-page guest_memfd bound at its canonical GPA: conversions
 * of page ranges, host reads and writes, pins and unpins, punches and guest accesses, with the
 * occasional malformed request. Operations do not depend on the state, so they can be made ahead.
 */
public final class RealisticOps {
    public static final int PAGES = 64;
    private static final long PAGE = GuestLayout.PAGE_SIZE;

    private RealisticOps() {
    }

    /** The two steps that open a session: create the file mappable and shared, bind all of it. */
    public static Operation[] prologue(Edition e) {
        long flags = e.mmapFlag();
        if (e.initialState() == PageState.PRIVATE) flags |= e.initialFlipFlag();
        return new Operation[] {
            new Operation.Create(0, PAGES * PAGE, flags),
            Operation.Bind.canonical(0, 0, 0, PAGES * PAGE)
        };
    }

    public static Operation[] sequence(Random random, int length) {
        Operation[] out = new Operation[length];
        int pinsMade = 0;
        for (int i = 0; i < length; i++) {
            int first = random.nextInt(PAGES);
            int pages = 1 + random.nextInt(Math.min(8, PAGES - first));
            long offset = first * PAGE;
            int dice = random.nextInt(100);
            if (dice < 20) {
                PageState target = random.nextBoolean() ? PageState.PRIVATE : PageState.SHARED;
                out[i] = Operation.Convert.of(0, offset, pages * PAGE, target);
            } else if (dice < 22) {
                out[i] = Operation.Convert.of(0, offset + 8, pages * PAGE, PageState.PRIVATE);
            } else if (dice < 37) {
                out[i] = new Operation.HostRead(0, offset + random.nextInt(64), 1 + random.nextInt(2 * (int) PAGE), random.nextInt(2));
            } else if (dice < 50) {
                out[i] = new Operation.HostWrite(0, offset + random.nextInt(64), 1 + random.nextInt(2 * (int) PAGE),
                        (byte) random.nextInt(256), random.nextInt(2));
            } else if (dice < 58) {
                out[i] = new Operation.Pin(0, offset, PAGE);
                pinsMade++;
            } else if (dice < 66) {
                out[i] = new Operation.Unpin(pinsMade == 0 ? 0 : random.nextInt(pinsMade));
            } else if (dice < 72) {
                out[i] = new Operation.PunchHole(0, offset, pages * PAGE);
            } else if (dice < 84) {
                out[i] = new Operation.GuestRead(GuestLayout.gpa(0, offset) + 8L * random.nextInt(512));
            } else if (dice < 96) {
                out[i] = new Operation.GuestWrite(GuestLayout.gpa(0, offset) + 8L * random.nextInt(512), random.nextLong());
            } else {
                PageState target = random.nextBoolean() ? PageState.PRIVATE : PageState.SHARED;
                out[i] = new Operation.GuestRequestConversion(GuestLayout.gpa(0, offset), pages * PAGE, target);
            }
        }
        return out;
    }
}
