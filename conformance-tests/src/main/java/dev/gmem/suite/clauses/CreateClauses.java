package dev.gmem.suite.clauses;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.property.Generator;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;
import dev.gmem.suite.Range;

import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.isFailed;
import static dev.gmem.suite.Moves.read;
import static dev.gmem.suite.Moves.readsAll;
import static dev.gmem.suite.Moves.write;

/** The CREATE clauses of CONTRACT.md, each with its check. */
public final class CreateClauses {
    private CreateClauses() {
    }

    public static final Clause CREATE_1 = Clause.of("CREATE-1",
            "creating a guest_memfd of size 0, a size that is not page-aligned, or a size ≥ 2^63 fails with EINVAL")
            .reachedBy(ModelEvent.CREATE_REJECTED)
            .peers(Peers.GMEM_TEST + "test_create_guest_memfd_invalid_sizes")
            .check("a bad size is EINVAL", CreateClauses::create1_badSizeIsEinval);

    public static final Clause CREATE_2 = Clause.of("CREATE-2",
            "each flag bit the kernel reports in KVM_CAP_GUEST_MEMFD_FLAGS is accepted and every other bit → EINVAL")
            .reachedBy(ModelEvent.CREATED, ModelEvent.CREATE_REJECTED)
            .peers(Peers.GMEM_TEST + "test_guest_memfd_flags")
            .check("supported flags are accepted, other bits are EINVAL", CreateClauses::create2_supportedFlagsAreAcceptedOtherBitsAreEinval);

    public static final Clause CREATE_3 = Clause.of("CREATE-3",
            "two guest_memfds are distinct files, each of the size asked")
            .reachedBy(ModelEvent.CREATED)
            .peers(Peers.GMEM_TEST + "test_create_guest_memfd_multiple")
            .check("two instances are distinct files of the asked size", CreateClauses::create3_twoInstancesAreDistinctFilesOfTheAskedSize);

    /** The sizes CREATE-1 names: 0, not page-aligned (below one page or above), ≥ 2^63 (u64). */
    enum BadSize implements Generator<Long> {
        ZERO(c -> 0L),
        BELOW_ONE_PAGE(c -> 1 + c.draw(PAGE_SIZE - 1)),
        UNALIGNED(c -> Gen.pages(c) * PAGE_SIZE + 1 + c.draw(PAGE_SIZE - 1)),
        TWO_TO_63_OR_MORE(c -> Gen.TWO_TO_63 + c.draw(4) * PAGE_SIZE),
        TOP_PAGE(c -> Gen.TOP_PAGE);

        private final Generator<Long> size;

        BadSize(Generator<Long> size) {
            this.size = size;
        }

        @Override
        public Long generate(Choices c) {
            return size.generate(c);
        }
    }

    /** CREATE-1: a bad size is EINVAL. */
    static void create1_badSizeIsEinval(Checker k) {
        long size = k.draw(BadSize.class).generate(k.choices());
        Observation o = k.apply(new Operation.Create(0, size, Gen.sharedFlags(k.edition())));
        k.require(isFailed(o, Errno.EINVAL), "size 0, unaligned or ≥ 2^63 → EINVAL", "size 0x" + Long.toHexString(size));
    }

    /** The flags CREATE-2 distinguishes. */
    enum CreateFlags { SUPPORTED, UNKNOWN_BIT }

    /** CREATE-2: supported flags are accepted, other bits are EINVAL. */
    static void create2_supportedFlagsAreAcceptedOtherBitsAreEinval(Checker k) {
        Choices c = k.choices();
        Edition e = k.edition();
        long supported = e.supportedCreateFlags();
        long flags = c.draw(supported + 1) & supported;
        // a flag that needs the mmap flag comes with it: that combination is the valid one
        if ((flags & e.flagsNeedingMmap()) != 0) flags |= e.mmapFlag();
        if (k.draw(CreateFlags.class) == CreateFlags.SUPPORTED) {
            Observation o = k.apply(new Operation.Create(0, Gen.pages(c) * PAGE_SIZE, flags));
            k.require(o instanceof Observation.Created, "each supported flag bit is accepted");
        } else {
            Observation o = k.apply(new Operation.Create(0, Gen.pages(c) * PAGE_SIZE, flags | Gen.unknownBit(c, e)));
            k.require(isFailed(o, Errno.EINVAL), "every other flag bit → EINVAL");
        }
    }

    /** CREATE-3: two instances are distinct files of the asked size. */
    static void create3_twoInstancesAreDistinctFilesOfTheAskedSize(Checker k) {
        Choices c = k.choices();
        long pa = Gen.pages(c);
        long pb = Gen.pages(c);
        int a = createShared(k, pa);
        int b = createShared(k, pb);
        k.require(a != b, "two instances have distinct handles");
        k.require(k.apply(new Operation.Stat(a)).equals(new Observation.FileSize(pa * PAGE_SIZE)), "each is of the size asked");
        k.require(k.apply(new Operation.Stat(b)).equals(new Observation.FileSize(pb * PAGE_SIZE)), "each is of the size asked");
        byte fill = Gen.fill(c);
        write(k, a, Range.pages(0, 1), fill);
        k.require(readsAll(read(k, b, 0), PAGE_SIZE, (byte) 0), "a write to one instance does not show in the other");
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(CREATE_1, CREATE_2, CREATE_3);
}
