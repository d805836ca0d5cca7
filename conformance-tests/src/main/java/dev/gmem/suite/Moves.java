package dev.gmem.suite;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.property.Choices;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/** Steps the properties share, each applied (and checked) through a {@link Checker}. */
public final class Moves {
    private static final long MARKER = 0x6d61726bL << 32;

    private Moves() {
    }

    /** Creates a guest_memfd of {@code pages} pages with {@code flags} in the session's VM; it must succeed. */
    public static int create(Checker k, long pages, long flags) {
        Observation o = k.apply(new Operation.Create(0, pages * PAGE_SIZE, flags));
        k.require(o instanceof Observation.Created, "a valid create succeeds");
        return ((Observation.Created) o).gmem();
    }

    /** A guest_memfd whose pages start SHARED and that the host can access. */
    public static int createShared(Checker k, long pages) {
        return create(k, pages, Gen.sharedFlags(k.edition()));
    }

    public static Observation read(Checker k, int gmem, long page) {
        return k.apply(new Operation.HostRead(gmem, page * PAGE_SIZE, PAGE_SIZE, 0));
    }

    public static Observation write(Checker k, int gmem, Range r, byte fill) {
        return k.apply(new Operation.HostWrite(gmem, r.offset(), r.size(), fill, 0));
    }

    public static Observation convert(Checker k, int gmem, Range r, PageState target) {
        return k.apply(Operation.Convert.of(gmem, r.offset(), r.size(), target));
    }

    /** Converts a valid range; it must succeed. */
    public static void convertOk(Checker k, int gmem, Range r, PageState target) {
        k.require(convert(k, gmem, r, target) instanceof Observation.Ok, "a valid conversion of an unpinned range succeeds");
    }

    /** Binds the whole file at its canonical GPA in slot {@code gmem}; it must succeed. */
    public static void bindWhole(Checker k, int gmem) {
        long size = k.state().gmem(gmem).orElseThrow().size();
        Observation o = k.apply(Operation.Bind.canonical(gmem, gmem, 0, size));
        k.require(o instanceof Observation.Ok, "binding a whole guest_memfd once succeeds");
    }

    public static long gpa(int gmem, long page) {
        return GuestLayout.gpa(gmem, page * PAGE_SIZE);
    }

    public static boolean isFailed(Observation o, Errno errno) {
        return o instanceof Observation.Failed f && f.errno() == errno;
    }

    public static boolean readsAll(Observation o, long length, byte value) {
        return o instanceof Observation.Read r && r.bytes().equals(Bytes.fill(length, value));
    }

    /**
     * Whether page {@code page} behaves as SHARED, seen from outside: in-place editions ask the host
     * (a private page faults); vm-attributes, whose host never faults, lets the guest write a marker
     * (the file must be bound) and asks whether the host's shared buffer shows it.
     */
    public static boolean observedShared(Checker k, int gmem, long page) {
        Edition e = k.edition();
        if (!e.hostViewIsSeparate()) {
            return read(k, gmem, page) instanceof Observation.Read;
        }
        // a marker no earlier step wrote, so that an old value in the buffer cannot pass for it
        long marker = MARKER | ((long) k.steps().size() << 16) | page;
        Observation w = k.apply(new Operation.GuestWrite(gpa(gmem, page), marker));
        k.require(w instanceof Observation.Ok, "a guest write to a bound page succeeds");
        Observation r = k.apply(new Operation.HostRead(gmem, page * PAGE_SIZE, Long.BYTES, 0));
        k.require(r instanceof Observation.Read, "the host's shared buffer is always readable (vm-attributes)");
        return ((Observation.Read) r).bytes().equals(Bytes.ofLong(marker));
    }

    /** A page the guest wrote after the host converted it to private, in a bound guest_memfd. */
    public record PrivateWrite(int gmem, long page, long value) {
    }

    /** Creates and binds a shared guest_memfd, converts a range to private, and has the guest write one of its pages. */
    public static PrivateWrite guestWritesPrivatePage(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        bindWhole(k, g);
        Range r = Gen.validRange(c, pages);
        convertOk(k, g, r, PageState.PRIVATE);
        long page = r.firstPage() + c.draw(r.pageCount());
        long value = 1 + c.draw(1L << 40);
        k.require(k.apply(new Operation.GuestWrite(gpa(g, page), value)) instanceof Observation.Ok,
                "the guest writes its private page");
        return new PrivateWrite(g, page, value);
    }

    /**
     * The kernel reported nothing (taint, WARN, BUG, KASAN) since the session's previous look; the first look of a
     * session marks the start of the check.
     */
    public static void kernelHealthy(Checker k) {
        Observation h = k.apply(new Operation.KernelHealth());
        k.require(Observation.KernelHealth.CLEAN.equals(h), "the kernel reports no taint, WARN, BUG or KASAN",
                String.valueOf(h));
    }

    /** The NUMA nodes with memory (bit n for node n); the model answers node 0. */
    public static long numaNodes(Checker k) {
        Observation o = k.apply(new Operation.NumaNodes());
        k.require(o instanceof Observation.NumaNodes n && n.mask() != 0, "there is at least one NUMA node");
        return ((Observation.NumaNodes) o).mask();
    }
}
