package dev.gmem.kernel;

import dev.gmem.api.Edition;
import dev.gmem.api.FileSyscall;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.MapKind;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;

import java.util.Random;

/** Random operations over a small world (a few guest_memfds of a few pages), for soak runs. */
final class RandomOperations {
    static final long PAGE = GuestLayout.PAGE_SIZE;
    private final Random random;
    private final Edition edition;
    private int creates;

    RandomOperations(long seed, Edition edition) {
        this.random = new Random(seed);
        this.edition = edition;
    }

    private long offset() {
        return random.nextInt(10) == 0 ? random.nextInt(9 * (int) PAGE) : random.nextInt(9) * PAGE;
    }

    private long length() {
        return random.nextInt(10) == 0 ? random.nextInt(3 * (int) PAGE) : random.nextInt(4) * PAGE;
    }

    private int gmem() {
        // aim at the last few guest_memfds created (and, rarely, at one that does not exist)
        int high = Math.max(0, creates - 1);
        return random.nextInt(20) == 0 ? creates + 1 : Math.max(0, high - random.nextInt(3));
    }

    private long flags() {
        long[] choices = {0, edition.mmapFlag(), edition.mmapFlag() | edition.initialFlipFlag(), edition.initialFlipFlag(),
                1L << random.nextInt(64)};
        return choices[random.nextInt(choices.length)];
    }

    /** Feeds an answer back: handles are the successful creates. */
    void observe(dev.gmem.api.Observation answer) {
        if (answer instanceof dev.gmem.api.Observation.Created) creates++;
    }

    /** Starts a new session's world. */
    void newSession() {
        creates = 0;
    }

    Operation next() {
        return pick();
    }

    private Operation pick() {
        return switch (random.nextInt(19)) {
            case 0, 1 -> new Operation.Create(random.nextInt(8) == 0 ? 1 : 0,
                    random.nextInt(12) == 0 ? random.nextInt(3 * (int) PAGE) : (1 + random.nextInt(8)) * PAGE, flags());
            case 2 -> new Operation.Close(gmem());
            case 3 -> random.nextInt(10) == 0 ? new Operation.CloseVm(random.nextInt(4) == 0 ? 0 : 1)
                    : new Operation.Create(0, (1 + random.nextInt(4)) * PAGE, edition.mmapFlag() | edition.initialFlipFlag());
            case 4 -> new Operation.Convert(gmem(), offset(), length(),
                    random.nextBoolean() ? PageState.PRIVATE : PageState.SHARED, Operation.Convert.Raw.NONE);
            case 5 -> new Operation.Mmap(gmem(), MapKind.values()[random.nextInt(3)]);
            case 6, 7 -> new Operation.HostRead(gmem(), offset(), length(), random.nextInt(2));
            case 8 -> new Operation.HostWrite(gmem(), offset(), length(), (byte) random.nextInt(256), random.nextInt(2));
            case 9 -> new Operation.Pin(gmem(), offset(), length());
            case 10 -> new Operation.Unpin(random.nextInt(4));
            case 11 -> new Operation.PunchHole(gmem(), offset(), length());
            case 12 -> new Operation.Allocate(gmem(), offset(), length(), random.nextInt(4) != 0);
            case 13 -> new Operation.FileCall(gmem(), FileSyscall.values()[random.nextInt(FileSyscall.values().length)]);
            case 14 -> new Operation.Stat(gmem());
            case 15 -> new Operation.GuestRead(GuestLayout.gpa(gmem(), offset() & ~7));
            case 16 -> new Operation.GuestWrite(GuestLayout.gpa(gmem(), offset() & ~7), random.nextLong());
            case 17 -> new Operation.Bind(random.nextInt(4), gmem(), offset(), length(),
                    GuestLayout.gpa(gmem(), random.nextInt(4) * PAGE));
            default -> new Operation.Unbind(random.nextInt(4));
        };
    }
}
