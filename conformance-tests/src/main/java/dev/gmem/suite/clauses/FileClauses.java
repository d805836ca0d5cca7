package dev.gmem.suite.clauses;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.model.ModelEvent;
import dev.gmem.property.Choices;
import dev.gmem.suite.Checker;
import dev.gmem.suite.Clause;
import dev.gmem.suite.Gen;
import dev.gmem.suite.Range;

import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.suite.Moves.create;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.isFailed;

/** The FILE clauses of CONTRACT.md, each with its check. */
public final class FileClauses {
    private FileClauses() {
    }

    public static final Clause FILE_1 = Clause.of("FILE-1",
            "read, write, pread, pwrite, ftruncate and lseek on a guest_memfd fail")
            .reachedBy(ModelEvent.FILE_CALL_REJECTED)
            .peers(Peers.GMEM_TEST + "test_file_read_write")
            .check("plain file calls fail", FileClauses::file1_plainFileCallsFail);

    public static final Clause FILE_2 = Clause.of("FILE-2",
            "fstat of a guest_memfd reports st_size = the size asked at creation")
            .peers(Peers.GMEM_TEST + "test_file_size")
            .check("st_size is the size asked", FileClauses::file2_stSizeIsTheSizeAsked);

    public static final Clause FILE_3 = Clause.of("FILE-3",
            "fallocate needs KEEP_SIZE, rejects misalignment and allocation past the end, and accepts a punch past the end")
            .reachedBy(ModelEvent.ALLOCATED, ModelEvent.FALLOCATE_REJECTED)
            .peers(Peers.GMEM_TEST + "test_fallocate", Peers.GMEM_TEST + "test_invalid_punch_hole")
            .check("fallocate rules", FileClauses::file3_fallocateRules);

    /** FILE-1: plain file calls fail. */
    static void file1_plainFileCallsFail(Checker k) {
        int g = createShared(k, Gen.pages(k.choices()));
        Observation o = k.apply(new Operation.FileCall(g, Gen.fileSyscall(k.choices())));
        k.require(o instanceof Observation.Failed, "read/write/pread/pwrite/ftruncate/lseek fail");
    }

    /** FILE-2: st_size is the size asked. */
    static void file2_stSizeIsTheSizeAsked(Checker k) {
        long pages = Gen.pages(k.choices());
        int g = create(k, pages, Gen.createFlags(k.choices(), k.edition()) & validFlagsMask(k.edition()));
        k.require(k.apply(new Operation.Stat(g)).equals(new Observation.FileSize(pages * PAGE_SIZE)), "st_size = size");
    }

    /** FILE-3: fallocate rules. */
    static void file3_fallocateRules(Checker k) {
        Choices c = k.choices();
        long pages = Gen.pages(c);
        int g = createShared(k, pages);
        switch (k.draw(Fallocate.class)) {
            case WITHOUT_KEEP_SIZE -> {
                Range r = Gen.validRange(c, pages);
                Observation o = k.apply(new Operation.Allocate(g, r.offset(), r.size(), false));
                k.require(isFailed(o, Errno.EOPNOTSUPP), "fallocate without KEEP_SIZE → EOPNOTSUPP");
            }
            case MISALIGNED -> {
                Range r = Gen.misalignedRange(c, pages);
                Observation o = k.apply(new Operation.Allocate(g, r.offset(), r.size(), true));
                k.require(isFailed(o, Errno.EINVAL), "a misaligned fallocate → EINVAL");
            }
            case PAST_THE_END -> {
                long first = c.draw(pages + 1);
                Range r = Range.pages(first, pages - first + 1 + c.draw(4));
                Observation o = k.apply(new Operation.Allocate(g, r.offset(), r.size(), true));
                k.require(isFailed(o, Errno.EINVAL), "allocation past the end → EINVAL");
            }
            case INSIDE -> {
                Range r = Gen.validRange(c, pages);
                Observation o = k.apply(new Operation.Allocate(g, r.offset(), r.size(), true));
                k.require(o instanceof Observation.Ok, "allocation inside the file with KEEP_SIZE succeeds");
            }
            case PUNCH_PAST_THE_END -> {
                Range r = Range.pages(pages + c.draw(4), 1 + c.draw(4));
                Observation o = k.apply(new Operation.PunchHole(g, r.offset(), r.size()));
                k.require(o instanceof Observation.Ok, "a punch past the end succeeds");
            }
        }
    }

    /** The cases FILE-3 distinguishes. */
    enum Fallocate { WITHOUT_KEEP_SIZE, MISALIGNED, PAST_THE_END, INSIDE, PUNCH_PAST_THE_END }

    /** The create flags an edition accepts alone (drops a flag that needs the mmap flag). */
    private static long validFlagsMask(Edition e) {
        return e.supportedCreateFlags() & ~e.flagsNeedingMmap();
    }

    /** The group, in the catalogue's order. */
    public static final List<Clause> ALL = List.of(FILE_1, FILE_2, FILE_3);
}
