package dev.gmem.suite;

import dev.gmem.api.Bytes;
import dev.gmem.api.ContentRule;
import dev.gmem.api.ConvertCheck;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.MapKind;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.ReferenceRule;
import dev.gmem.property.Choices;
import dev.gmem.property.Generators;

import java.util.ArrayList;
import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static dev.gmem.api.PageState.PRIVATE;
import static dev.gmem.api.PageState.SHARED;
import static dev.gmem.suite.Moves.bindWhole;
import static dev.gmem.suite.Moves.convert;
import static dev.gmem.suite.Moves.convertOk;
import static dev.gmem.suite.Moves.create;
import static dev.gmem.suite.Moves.createShared;
import static dev.gmem.suite.Moves.gpa;
import static dev.gmem.suite.Moves.isFailed;
import static dev.gmem.suite.Moves.observedShared;
import static dev.gmem.suite.Moves.read;
import static dev.gmem.suite.Moves.readsAll;
import static dev.gmem.suite.Moves.write;

/**
 * The properties, one or more per clause, each written to read like its clause. Every step of
 * every property is also checked against the model by the {@link Checker}.
 */
public final class Properties {
    private Properties() {
    }

    /** The longest SEQ sequence. */
    public static final int SEQ_MAX_OPERATIONS = 300;
    /** The average SEQ sequence length. */
    public static final int SEQ_AVERAGE_OPERATIONS = 80;

    public static List<ClauseProperty> all() {
        List<ClauseProperty> p = new ArrayList<>();
        createClauses(p);
        fileClauses(p);
        mmapClauses(p);
        hostClauses(p);
        convClauses(p);
        refClauses(p);
        punchClauses(p);
        guestClauses(p);
        hcallClauses(p);
        bindClauses(p);
        lifeClauses(p);
        p.add(ClauseProperty.of("SEQ", "random operation sequences stay inside what the model allows", Properties::sequence)
                .withTriesFactor(0.5));
        return p;
    }

    public static List<ClauseProperty> forClause(String clauseId) {
        return all().stream().filter(p -> p.clauseId().equals(clauseId)).toList();
    }

    /** SEQ: up to a few hundred operations of every kind the target supports, generated against the model's state. */
    public static void sequence(Checker k) {
        Choices c = k.choices();
        OperationGen gen = new OperationGen(k);
        for (int n = 0; n < SEQ_MAX_OPERATIONS; n++) {
            c.startSpan();
            boolean more = Generators.more(c, SEQ_AVERAGE_OPERATIONS);
            if (more) k.apply(gen.next(k));
            c.endSpan();
            if (!more) break;
        }
    }

    private static void createClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("CREATE-1", "a bad size is EINVAL", k -> {
            long size = Gen.invalidCreateSize(k.choices());
            Observation o = k.apply(new Operation.Create(0, size, Gen.sharedFlags(k.edition())));
            k.require(isFailed(o, Errno.EINVAL), "size 0, unaligned or ≥ 2^63 → EINVAL", "size 0x" + Long.toHexString(size));
        }));
        p.add(ClauseProperty.of("CREATE-2", "supported flags are accepted, other bits are EINVAL", k -> {
            Choices c = k.choices();
            Edition e = k.edition();
            long supported = e.supportedCreateFlags();
            long flags = c.draw(supported + 1) & supported;
            // a flag that needs the mmap flag comes with it: that combination is the valid one
            if ((flags & e.flagsNeedingMmap()) != 0) flags |= e.mmapFlag();
            if (c.draw(2) == 0) {
                Observation o = k.apply(new Operation.Create(0, Gen.pages(c) * PAGE_SIZE, flags));
                k.require(o instanceof Observation.Created, "each supported flag bit is accepted");
            } else {
                Observation o = k.apply(new Operation.Create(0, Gen.pages(c) * PAGE_SIZE, flags | Gen.unknownBit(c, e)));
                k.require(isFailed(o, Errno.EINVAL), "every other flag bit → EINVAL");
            }
        }));
        p.add(ClauseProperty.of("CREATE-3", "two instances are distinct files of the asked size", k -> {
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
        }));
    }

    private static void fileClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("FILE-1", "plain file calls fail", k -> {
            int g = createShared(k, Gen.pages(k.choices()));
            Observation o = k.apply(new Operation.FileCall(g, Gen.fileSyscall(k.choices())));
            k.require(o instanceof Observation.Failed, "read/write/pread/pwrite/ftruncate/lseek fail");
        }));
        p.add(ClauseProperty.of("FILE-2", "st_size is the size asked", k -> {
            long pages = Gen.pages(k.choices());
            int g = create(k, pages, Gen.createFlags(k.choices(), k.edition()) & validFlagsMask(k.edition()));
            k.require(k.apply(new Operation.Stat(g)).equals(new Observation.FileSize(pages * PAGE_SIZE)), "st_size = size");
        }));
        p.add(ClauseProperty.of("FILE-3", "fallocate rules", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            long size = pages * PAGE_SIZE;
            int g = createShared(k, pages);
            switch (c.drawInt(5)) {
                case 0: {
                    Range r = Gen.validRange(c, pages);
                    Observation o = k.apply(new Operation.Allocate(g, r.offset(), r.size(), false));
                    k.require(isFailed(o, Errno.EOPNOTSUPP), "fallocate without KEEP_SIZE → EOPNOTSUPP");
                    break;
                }
                case 1: {
                    Range r = c.draw(2) == 0 ? new Range(c.draw(size) | 1, PAGE_SIZE)
                            : new Range(c.draw(pages) * PAGE_SIZE, 1 + c.draw(PAGE_SIZE - 1));
                    Observation o = k.apply(new Operation.Allocate(g, r.offset(), r.size(), true));
                    k.require(isFailed(o, Errno.EINVAL), "a misaligned fallocate → EINVAL");
                    break;
                }
                case 2: {
                    long first = c.draw(pages + 1);
                    Range r = Range.pages(first, pages - first + 1 + c.draw(4));
                    Observation o = k.apply(new Operation.Allocate(g, r.offset(), r.size(), true));
                    k.require(isFailed(o, Errno.EINVAL), "allocation past the end → EINVAL");
                    break;
                }
                case 3: {
                    Range r = Gen.validRange(c, pages);
                    Observation o = k.apply(new Operation.Allocate(g, r.offset(), r.size(), true));
                    k.require(o instanceof Observation.Ok, "allocation inside the file with KEEP_SIZE succeeds");
                    break;
                }
                default: {
                    Range r = Range.pages(pages + c.draw(4), 1 + c.draw(4));
                    Observation o = k.apply(new Operation.PunchHole(g, r.offset(), r.size()));
                    k.require(o instanceof Observation.Ok, "a punch past the end succeeds");
                }
            }
        }));
    }

    /** The create flags an edition accepts alone (drops a flag that needs the mmap flag). */
    private static long validFlagsMask(Edition e) {
        return e.supportedCreateFlags() & ~e.flagsNeedingMmap();
    }

    private static void mmapClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("MMAP-1", "mmap needs the MMAP flag", k -> {
            Choices c = k.choices();
            Edition e = k.edition();
            boolean withFlag = e.mmapFlag() != 0 && c.draw(2) == 1;
            long flags = withFlag ? Gen.sharedFlags(e) : Gen.sharedFlags(e) & ~e.mmapFlag() & ~e.flagsNeedingMmap();
            int g = create(k, Gen.pages(c), flags);
            Observation o = k.apply(new Operation.Mmap(g, MapKind.SHARED));
            if (withFlag) {
                k.require(o instanceof Observation.Ok, "mmap with the MMAP flag succeeds");
            } else {
                k.require(o instanceof Observation.Failed, "mmap without the MMAP flag fails");
            }
        }));
        p.add(ClauseProperty.of("MMAP-2", "MAP_PRIVATE is refused", k -> {
            int g = createShared(k, Gen.pages(k.choices()));
            k.require(k.apply(new Operation.Mmap(g, MapKind.PRIVATE_COW)) instanceof Observation.Failed, "MAP_PRIVATE is refused");
        }));
        p.add(ClauseProperty.of("MMAP-3", "touching past the end faults", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            long at = pages * PAGE_SIZE + c.draw(4) * PAGE_SIZE + c.draw(PAGE_SIZE);
            Observation o = c.draw(2) == 0 ? k.apply(new Operation.HostRead(g, at, 1 + c.draw(64), 0))
                    : k.apply(new Operation.HostWrite(g, at, 1 + c.draw(64), Gen.fill(c), 0));
            k.require(o instanceof Observation.HostFault, "a touch past the end faults");
        }));
        p.add(ClauseProperty.of("MMAP-4", "without INIT_SHARED every touch faults", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = create(k, pages, Gen.privateFlags(k.edition()));
            long at = c.draw(pages * PAGE_SIZE);
            Observation o;
            switch (c.drawInt(3)) {
                case 0: o = k.apply(new Operation.HostRead(g, at, 1 + c.draw(64), c.drawInt(2))); break;
                case 1: o = k.apply(new Operation.HostWrite(g, at, 1 + c.draw(64), Gen.fill(c), c.drawInt(2))); break;
                default: o = k.apply(new Operation.Pin(g, at, 1 + c.draw(64)));
            }
            k.require(o instanceof Observation.HostFault, "every touch of a file without INIT_SHARED faults");
        }));
    }

    private static void hostClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("HOST-1", "a shared page is readable, writable and fresh pages read zero", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            long page = c.draw(pages);
            k.require(readsAll(read(k, g, page), PAGE_SIZE, (byte) 0), "a fresh shared page reads zero");
            Range r = Gen.validRange(c, pages);
            byte fill = Gen.fill(c);
            k.require(write(k, g, r, fill) instanceof Observation.Ok, "the host writes a shared page");
            Observation back = k.apply(new Operation.HostRead(g, r.offset(), r.size(), c.drawInt(2)));
            k.require(readsAll(back, r.size(), fill), "the host reads back what it wrote");
        }));
        p.add(ClauseProperty.of("HOST-2", "a private page faults on every host access", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g;
            Range priv;
            if (k.edition().converts() && c.draw(2) == 1) {
                g = createShared(k, pages);
                priv = Gen.validRange(c, pages);
                convertOk(k, g, priv, PRIVATE);
            } else {
                g = create(k, pages, Gen.privateFlags(k.edition()));
                priv = Range.pages(0, pages);
            }
            long at = priv.offset() + c.draw(priv.size());
            int view = c.drawInt(2);
            Observation o;
            switch (c.drawInt(3)) {
                case 0: o = k.apply(new Operation.HostRead(g, at, 1 + c.draw(PAGE_SIZE), view)); break;
                case 1: o = k.apply(new Operation.HostWrite(g, at, 1 + c.draw(PAGE_SIZE), Gen.fill(c), view)); break;
                default: o = k.apply(new Operation.Pin(g, at, 1 + c.draw(PAGE_SIZE)));
            }
            k.require(o instanceof Observation.HostFault, "a host access to a private page faults");
        }));
        p.add(ClauseProperty.of("HOST-3", "host faults never change state", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            if (k.edition().initialState(Gen.privateFlags(k.edition())) == PRIVATE && c.draw(2) == 0) {
                // a private page faults, and keeps faulting: the fault did not make it shared
                int g = create(k, pages, Gen.privateFlags(k.edition()));
                long page = c.draw(pages);
                for (int i = 0; i < 2 + c.draw(3); i++) {
                    Observation o = i % 2 == 0 ? read(k, g, page)
                            : write(k, g, Range.pages(page, 1), Gen.fill(c));
                    k.require(o instanceof Observation.HostFault, "a private page faults every time: faults do not change state");
                }
            } else {
                // a write running past the end faults and writes nothing, not even inside the file
                int g = createShared(k, pages);
                long from = (pages - 1 - c.draw(Math.min(pages, 2))) * PAGE_SIZE + c.draw(PAGE_SIZE);
                Observation o = k.apply(new Operation.HostWrite(g, from, pages * PAGE_SIZE - from + 1 + c.draw(PAGE_SIZE), Gen.fill(c), 0));
                k.require(o instanceof Observation.HostFault, "a write past the end faults");
                k.require(readsAll(k.apply(new Operation.HostRead(g, 0, pages * PAGE_SIZE, 0)), pages * PAGE_SIZE, (byte) 0),
                        "a faulting write changes nothing");
            }
        }));
        p.add(ClauseProperty.of("HOST-4", "vm-attributes: the host sees its separate buffer, never the private page", k -> {
            Choices c = k.choices();
            Moves.PrivateWrite written = Moves.guestWritesPrivatePage(k);
            int g = written.gmem();
            long page = written.page();
            long value = written.value();
            Observation o = k.apply(new Operation.HostRead(g, page * PAGE_SIZE, PAGE_SIZE, c.drawInt(2)));
            k.require(o instanceof Observation.Read, "host accesses never fault in vm-attributes");
            k.require(((Observation.Read) o).bytes().equals(Bytes.zeros(PAGE_SIZE)),
                    "what the guest writes to a private page never appears in the host's buffer");
        }));
    }

    private static void convClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("CONV-1", "exactly the converted pages become private", k -> {
            Choices c = k.choices();
            long pages = 1 + Gen.pages(c);
            int g = createShared(k, pages);
            if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
            Range r = Gen.validRange(c, pages);
            convertOk(k, g, r, PRIVATE);
            for (long page = 0; page < pages; page++) {
                boolean shared = observedShared(k, g, page);
                k.require(shared != r.containsPage(page), "exactly the pages of r are private, neighbours untouched",
                        "page " + page);
            }
        }).requiring("CONVERTED"));
        p.add(ClauseProperty.of("CONV-2", "converting back restores host access, content as the edition says", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range r = Gen.validRange(c, pages);
            byte fill = Gen.fill(c);
            write(k, g, r, fill);
            convertOk(k, g, r, PRIVATE);
            convertOk(k, g, r, SHARED);
            Observation o = k.apply(new Operation.HostRead(g, r.offset(), r.size(), c.drawInt(2)));
            k.require(o instanceof Observation.Read, "a page converted back to shared is accessible to the host");
            if (k.edition().contentRule() != ContentRule.UNSPECIFIED) {
                k.require(readsAll(o, r.size(), fill), "the content is what the edition promises (kept)");
            }
        }));
        p.add(ClauseProperty.of("CONV-3", "a bad range is EINVAL and changes nothing", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
            // vm-attributes converts GPAs, not file offsets: only misalignment is wrong there
            boolean gpaRange = !k.edition().convertChecks().contains(ConvertCheck.INSIDE_FILE);
            Range bad = gpaRange ? Gen.misalignedRange(c, pages) : Gen.invalidRange(c, pages);
            Observation o = convert(k, g, bad, Gen.conversionTarget(c));
            k.require(isFailed(o, Errno.EINVAL), "misaligned, overflowing or out-of-range requests → EINVAL",
                    "offset 0x" + Long.toHexString(bad.offset()) + " size 0x" + Long.toHexString(bad.size()));
            long page = c.draw(pages);
            k.require(observedShared(k, g, page), "no page changes state");
        }));
        p.add(ClauseProperty.of("CONV-4", "converting to the state a range has succeeds", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range r = Gen.validRange(c, pages);
            PageState target = Gen.conversionTarget(c);
            if (target == PRIVATE) convertOk(k, g, r, PRIVATE);
            Range same = Gen.validSubRange(c, r);
            boolean allSame = true;
            for (long page = same.firstPage(); page < same.firstPage() + same.pageCount(); page++) {
                allSame &= k.state().pageState(g, page) == target;
            }
            if (allSame) k.note(SAME_STATE);
            Observation o = convert(k, g, same, target);
            k.require(o instanceof Observation.Ok, "converting a range to the state it has succeeds");
        }).requiring(SAME_STATE));
        p.add(ClauseProperty.of("CONV-5", "a conversion before allocation is remembered", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range r = Gen.validRange(c, pages);
            convertOk(k, g, r, PRIVATE);
            if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
            long page = r.firstPage() + c.draw(r.pageCount());
            k.require(!observedShared(k, g, page), "a page converted before it was allocated is private when first touched");
        }));
        p.add(ClauseProperty.of("CONV-6", "converting a partly allocated range works", k -> {
            Choices c = k.choices();
            long pages = 1 + Gen.pages(c);
            int g = createShared(k, pages);
            if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
            Range some = Gen.validRange(c, pages);
            if (c.draw(2) == 0) {
                write(k, g, some, Gen.fill(c));
            } else {
                k.require(k.apply(new Operation.Allocate(g, some.offset(), some.size(), true)) instanceof Observation.Ok,
                        "fallocate inside the file succeeds");
            }
            Range all = Range.pages(0, pages);
            convertOk(k, g, all, PRIVATE);
            long page = c.draw(pages);
            k.require(!observedShared(k, g, page), "every page of the range is private, allocated or not", "page " + page);
            convertOk(k, g, all, SHARED);
            k.require(observedShared(k, g, page), "every page of the range is shared again", "page " + page);
        }));
        p.add(ClauseProperty.of("CONV-7", "to private removes the host mappings in every process", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range r = Gen.validRange(c, pages);
            long page = r.firstPage() + c.draw(r.pageCount());
            k.require(k.apply(new Operation.HostRead(g, page * PAGE_SIZE, PAGE_SIZE, 1)) instanceof Observation.Read,
                    "a second mapping reads a shared page");
            convertOk(k, g, r, PRIVATE);
            Observation o = k.apply(new Operation.HostRead(g, page * PAGE_SIZE, PAGE_SIZE, 1));
            k.require(o instanceof Observation.HostFault, "after convert to private the other mapping faults too");
        }));
        p.add(ClauseProperty.of("CONV-8", "size 0 and input error_offset as the edition says", k -> {
            Choices c = k.choices();
            Edition e = k.edition();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            if (e.hostViewIsSeparate()) bindWhole(k, g);
            long page = c.draw(pages);
            if (c.draw(2) == 0) {
                Observation o = k.apply(new Operation.Convert(g, page * PAGE_SIZE, 0, PRIVATE, Operation.Convert.Raw.NONE));
                if (e.convertChecks().contains(ConvertCheck.SIZE_ZERO_IS_NOOP)) {
                    k.require(o instanceof Observation.Ok, "size 0 succeeds as a no-op in this edition");
                } else {
                    k.require(isFailed(o, Errno.EINVAL), "size 0 → EINVAL in this edition");
                }
            } else {
                long errorOffset = PAGE_SIZE * (1 + c.draw(pages));
                Observation o = k.apply(new Operation.Convert(g, page * PAGE_SIZE, PAGE_SIZE, PRIVATE,
                        new Operation.Convert.Raw(errorOffset, 0, 0, 0)));
                if (e.convertChecks().contains(ConvertCheck.INPUT_ERROR_OFFSET)) {
                    k.require(isFailed(o, Errno.EINVAL), "a nonzero input error_offset → EINVAL in this edition");
                    k.require(observedShared(k, g, page), "a refused request changes nothing");
                } else {
                    k.require(o instanceof Observation.Ok, "the input error_offset is ignored in this edition");
                    k.require(!observedShared(k, g, page), "the conversion happened");
                }
                return;
            }
            k.require(observedShared(k, g, page), "size 0 changes no page");
        }));
    }

    private static void refClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("REF-1", "to private with a pin is EAGAIN at the first pinned page, nothing changes", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range pinned = Gen.validRange(c, pages);
            k.require(k.apply(new Operation.Pin(g, pinned.offset(), pinned.size())) instanceof Observation.Pinned, "a shared page can be pinned");
            // a range that covers at least one pinned page
            long pinnedPage = pinned.firstPage() + c.draw(pinned.pageCount());
            long first = pinnedPage - c.draw(pinnedPage + 1);
            Range r = Range.pages(first, pinnedPage - first + 1 + c.draw(pages - pinnedPage));
            Observation o = convert(k, g, r, PRIVATE);
            long firstPinned = Math.max(r.offset(), pinned.offset());
            k.require(o.equals(new Observation.Refused(Errno.EAGAIN, firstPinned)),
                    "EAGAIN with error offset = the first pinned page of the range");
            long page = r.firstPage() + c.draw(r.pageCount());
            k.require(observedShared(k, g, page), "no page of the range changes state", "page " + page);
        }).requiring("CONVERT_REFUSED_REFERENCED"));
        p.add(ClauseProperty.of("REF-2", "after unpin the conversion succeeds, content intact", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range r = Gen.validRange(c, pages);
            byte fill = Gen.fill(c);
            write(k, g, r, fill);
            Range pinned = Gen.validSubRange(c, r);
            Observation pin = k.apply(new Operation.Pin(g, pinned.offset(), pinned.size()));
            k.require(pin instanceof Observation.Pinned, "a shared page can be pinned");
            k.require(convert(k, g, r, PRIVATE) instanceof Observation.Refused, "a pinned range is refused");
            k.require(readsAll(k.apply(new Operation.HostRead(g, r.offset(), r.size(), 0)), r.size(), fill),
                    "the refused call left the content intact");
            k.require(k.apply(new Operation.Unpin(((Observation.Pinned) pin).pin())) instanceof Observation.Ok, "unpin succeeds");
            convertOk(k, g, r, PRIVATE);
            if (k.edition().contentRule() == ContentRule.PRESERVED) {
                convertOk(k, g, r, SHARED);
                k.require(readsAll(k.apply(new Operation.HostRead(g, r.offset(), r.size(), 0)), r.size(), fill),
                        "the content is intact after the conversion");
            }
        }));
        p.add(ClauseProperty.of("REF-3", "to shared never fails because of a pin", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range pinned = Gen.validRange(c, pages);
            k.require(k.apply(new Operation.Pin(g, pinned.offset(), pinned.size())) instanceof Observation.Pinned, "a shared page can be pinned");
            Range r = Gen.validRange(c, pages);
            if (c.draw(2) == 1) convert(k, g, r, PRIVATE);
            Observation o = convert(k, g, r, SHARED);
            k.require(o instanceof Observation.Ok, "converting to shared succeeds whatever is pinned");
        }));
        p.add(ClauseProperty.of("REF-4", "pending: a pinned page waits in PENDING_PRIVATE until unpinned", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            bindWhole(k, g);
            Range pinned = Gen.validRange(c, pages);
            Observation pin = k.apply(new Operation.Pin(g, pinned.offset(), pinned.size()));
            k.require(pin instanceof Observation.Pinned, "a shared page can be pinned");
            convertOk(k, g, Range.pages(0, pages), PRIVATE);
            long page = pinned.firstPage() + c.draw(pinned.pageCount());
            Observation waiting = k.apply(new Operation.GuestRead(gpa(g, page)));
            k.require(waiting.equals(new Observation.MemoryFaultExit(gpa(g, page), PAGE_SIZE, true)),
                    "the guest touching a pending page gets a memory-fault exit");
            k.require(k.apply(new Operation.Unpin(((Observation.Pinned) pin).pin())) instanceof Observation.Ok, "unpin succeeds");
            Observation after = k.apply(new Operation.GuestRead(gpa(g, page)));
            k.require(after instanceof Observation.GuestValue, "after the last pin drops the page is private: the guest reads it");
        }).requiring("PENDING_ENTERED", "PENDING_RESOLVED"));
    }

    private static void punchClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("PUNCH-1", "punching never changes state", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            if (k.edition().hostViewIsSeparate()) bindWhole(k, g);
            Range priv = Gen.validRange(c, pages);
            if (k.edition().converts()) convertOk(k, g, priv, PRIVATE);
            Range hole = Gen.validRange(c, pages);
            k.require(k.apply(new Operation.PunchHole(g, hole.offset(), hole.size())) instanceof Observation.Ok, "a valid punch succeeds");
            long page = hole.firstPage() + c.draw(hole.pageCount());
            boolean wasPrivate = k.edition().converts() && priv.containsPage(page);
            k.require(observedShared(k, g, page) != wasPrivate, "a punched page keeps its state", "page " + page);
        }));
        p.add(ClauseProperty.of("PUNCH-2", "a punched page reads zero", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            byte fill = Gen.fill(c);
            Range hole = Gen.validRange(c, pages);
            long page = hole.firstPage() + c.draw(hole.pageCount());
            if (k.edition().hostViewIsSeparate()) {
                // vm-attributes: the guest's private view is guest_memfd; the shared buffer is not touched
                bindWhole(k, g);
                write(k, g, Range.pages(0, pages), fill);
                convertOk(k, g, hole, PRIVATE);
                k.apply(new Operation.GuestWrite(gpa(g, page), 0x1234_5678L));
                k.require(k.apply(new Operation.PunchHole(g, hole.offset(), hole.size())) instanceof Observation.Ok, "a valid punch succeeds");
                k.require(new Observation.GuestValue(0).equals(k.apply(new Operation.GuestRead(gpa(g, page)))),
                        "a punched page reads zero in the guest's private view");
                k.require(readsAll(read(k, g, page), PAGE_SIZE, fill), "the punch leaves the shared buffer alone");
                return;
            }
            write(k, g, Range.pages(0, pages), fill);
            k.require(k.apply(new Operation.PunchHole(g, hole.offset(), hole.size())) instanceof Observation.Ok, "a valid punch succeeds");
            k.require(readsAll(read(k, g, page), PAGE_SIZE, (byte) 0), "a punched page reads zero");
            long other = c.draw(pages);
            if (!hole.containsPage(other)) {
                k.require(readsAll(read(k, g, other), PAGE_SIZE, fill), "a page outside the hole keeps its content");
            }
        }));
        p.add(ClauseProperty.of("PUNCH-3", "a misaligned punch is EINVAL", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range r;
            switch (c.drawInt(3)) {
                case 0: r = new Range(c.draw(pages * PAGE_SIZE) | 1, PAGE_SIZE); break;
                case 1: r = new Range(c.draw(pages) * PAGE_SIZE, 1 + c.draw(PAGE_SIZE - 1)); break;
                default: r = new Range(c.draw(pages) * PAGE_SIZE, 0);
            }
            k.require(isFailed(k.apply(new Operation.PunchHole(g, r.offset(), r.size())), Errno.EINVAL), "a misaligned punch → EINVAL");
        }));
        p.add(ClauseProperty.of("PUNCH-4", "a punch past the end is a no-op", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            byte fill = Gen.fill(c);
            write(k, g, Range.pages(0, pages), fill);
            Range r = Range.pages(pages + c.draw(4), 1 + c.draw(4));
            k.require(k.apply(new Operation.PunchHole(g, r.offset(), r.size())) instanceof Observation.Ok, "a punch past the end succeeds");
            k.require(readsAll(k.apply(new Operation.HostRead(g, 0, pages * PAGE_SIZE, 0)), pages * PAGE_SIZE, fill),
                    "a punch past the end changes nothing in the file");
        }));
    }

    private static void guestClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("GUEST-1", "a shared page is coherent between host and guest", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            bindWhole(k, g);
            long page = c.draw(pages);
            long in = 8 * c.draw(PAGE_SIZE / 8);
            if (c.draw(2) == 0) {
                byte fill = Gen.fill(c);
                write(k, g, Range.pages(page, 1), fill);
                Observation o = k.apply(new Operation.GuestRead(gpa(g, page) + in));
                k.require(o.equals(new Observation.GuestValue(Bytes.fill(8, fill).toLong())), "the guest reads what the host wrote");
            } else {
                long value = 1 + c.draw(1L << 40);
                k.require(k.apply(new Operation.GuestWrite(gpa(g, page) + in, value)) instanceof Observation.Ok, "the guest writes a shared page");
                Observation o = k.apply(new Operation.HostRead(g, page * PAGE_SIZE + in, 8, 0));
                k.require(o.equals(new Observation.Read(Bytes.ofLong(value))), "the host reads what the guest wrote");
            }
        }));
        p.add(ClauseProperty.of("GUEST-2", "a private page is invisible to the host both ways", k -> {
            Choices c = k.choices();
            Moves.PrivateWrite written = Moves.guestWritesPrivatePage(k);
            int g = written.gmem();
            long page = written.page();
            long value = written.value();
            if (c.draw(2) == 0) {
                Observation o = k.apply(new Operation.HostRead(g, page * PAGE_SIZE, 8, 0));
                k.require(o instanceof Observation.HostFault || (o instanceof Observation.Read rd && !rd.bytes().equals(Bytes.ofLong(value))),
                        "the host cannot read what the guest wrote to a private page");
            } else {
                Observation w = k.apply(new Operation.HostWrite(g, page * PAGE_SIZE, 8, Gen.fill(c), 0));
                k.require(w instanceof Observation.HostFault || w instanceof Observation.Ok, "a host write faults or lands in its own buffer");
                Observation o = k.apply(new Operation.GuestRead(gpa(g, page)));
                k.require(o.equals(new Observation.GuestValue(value)), "a host write never reaches the guest's private page");
            }
        }));
        p.add(ClauseProperty.of("GUEST-3", "a forbidden guest access is a memory-fault exit with the page's gpa and size", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            long page;
            if (k.edition().referenceRule() == ReferenceRule.PENDING) {
                bindWhole(k, g);
                page = c.draw(pages);
                k.apply(new Operation.Pin(g, page * PAGE_SIZE, PAGE_SIZE));
                convertOk(k, g, Range.pages(page, 1), PRIVATE);
            } else {
                // vm-attributes: a private GPA whose memslot was deleted (or never made) has no guest_memfd behind it
                if (c.draw(2) == 1) {
                    bindWhole(k, g);
                    k.require(k.apply(new Operation.Unbind(g)) instanceof Observation.Ok, "a bound slot can be deleted");
                }
                Range r = Gen.validRange(c, pages);
                convertOk(k, g, r, PRIVATE);
                page = r.firstPage() + c.draw(r.pageCount());
            }
            long in = 8 * c.draw(PAGE_SIZE / 8);
            Operation access = c.draw(2) == 0 ? new Operation.GuestRead(gpa(g, page) + in)
                    : new Operation.GuestWrite(gpa(g, page) + in, 1 + c.draw(1000));
            Observation o = k.apply(access);
            k.require(o.equals(new Observation.MemoryFaultExit(gpa(g, page), PAGE_SIZE, true)),
                    "KVM_EXIT_MEMORY_FAULT with gpa = the page's GPA, size = page size, PRIVATE flag set");
        }).requiring("MEMORY_FAULT_EXIT"));
    }

    private static void hcallClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("HCALL-1", "the guest's request reaches the host with its fields", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            bindWhole(k, g);
            Range r = Gen.validRange(c, pages);
            PageState target = Gen.conversionTarget(c);
            Observation o = k.apply(new Operation.GuestRequestConversion(gpa(g, r.firstPage()), r.size(), target));
            k.require(o instanceof Observation.HypercallExit, "KVM_HC_MAP_GPA_RANGE exits to the host");
            Observation.HypercallExit h = (Observation.HypercallExit) o;
            k.require(h.gpa() == gpa(g, r.firstPage()) && h.pages() == r.pageCount()
                            && h.attributes() == (target == PRIVATE ? MemoryAttributes.PRIVATE : 0),
                    "KVM_EXIT_HYPERCALL carries the gpa, the page count and the attributes");
        }).requiring("HYPERCALL_EXIT"));
        p.add(ClauseProperty.of("HCALL-2", "after the host converts the guest sees the new state", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            bindWhole(k, g);
            Range r = Gen.validRange(c, pages);
            Observation o = k.apply(new Operation.GuestRequestConversion(gpa(g, r.firstPage()), r.size(), PRIVATE));
            k.require(o instanceof Observation.HypercallExit h && h.hostResult() == 0, "the host converts and returns 0");
            long page = r.firstPage() + c.draw(r.pageCount());
            k.require(!observedShared(k, g, page), "the page the guest asked for is private");
            if (c.draw(2) == 1) {
                Observation back = k.apply(new Operation.GuestRequestConversion(gpa(g, r.firstPage()), r.size(), SHARED));
                k.require(back instanceof Observation.HypercallExit h && h.hostResult() == 0, "the host converts back and returns 0");
                k.require(observedShared(k, g, page), "the page the guest asked for is shared again");
            }
        }));
    }

    /** The event CONV-4 exists for: a conversion to the state every page of the range already has. */
    private static final String SAME_STATE = "CONVERT_TO_SAME_STATE";


    private static void bindClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("BIND-1", "a range binds once; overlap, misalignment, past the end, another VM's file → EINVAL", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            Range r = Gen.validRange(c, pages);
            k.require(k.apply(Operation.Bind.canonical(1, g, r.offset(), r.size())) instanceof Observation.Ok, "a first binding succeeds");
            // a second slot at GPAs no slot uses, so that only the guest_memfd side can be wrong
            long freeGpa = GuestLayout.gpa(g, 0) + GuestLayout.WINDOW / 2;
            Operation second;
            switch (c.drawInt(4)) {
                case 0: {
                    Range overlap = Gen.validSubRange(c, r);
                    second = new Operation.Bind(2, g, overlap.offset(), overlap.size(), freeGpa);
                    break;
                }
                case 1:
                    second = new Operation.Bind(2, g, r.offset() + 1 + c.draw(PAGE_SIZE - 1), PAGE_SIZE, freeGpa);
                    break;
                case 2: {
                    long first = c.draw(pages + 1);
                    second = new Operation.Bind(2, g, first * PAGE_SIZE, (pages - first + 1 + c.draw(3)) * PAGE_SIZE, freeGpa);
                    break;
                }
                default: {
                    Observation other = k.apply(new Operation.Create(1, pages * PAGE_SIZE, Gen.sharedFlags(k.edition())));
                    k.require(other instanceof Observation.Created, "a guest_memfd in another VM can be created");
                    second = new Operation.Bind(2, ((Observation.Created) other).gmem(), 0, PAGE_SIZE, freeGpa);
                }
            }
            k.require(isFailed(k.apply(second), Errno.EINVAL), "a second binding of the same range, a misaligned one, "
                    + "one past the end or another VM's guest_memfd → EINVAL");
        }));
        p.add(ClauseProperty.of("BIND-2", "a bound slot can only be deleted", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            bindWhole(k, g);
            Range r = Gen.validRange(c, pages);
            Observation again = k.apply(new Operation.Bind(g, g, r.offset(), r.size(), gpa(g, r.firstPage())));
            k.require(isFailed(again, Errno.EINVAL), "changing a bound slot → EINVAL");
            k.require(k.apply(new Operation.Unbind(g)) instanceof Observation.Ok, "deleting a bound slot succeeds");
            k.require(k.apply(Operation.Bind.canonical(g, g, r.offset(), r.size())) instanceof Observation.Ok,
                    "after deletion the range can be bound again");
        }));
    }

    private static void lifeClauses(List<ClauseProperty> p) {
        p.add(ClauseProperty.of("LIFE-1", "a guest_memfd outlives its VM fd", k -> {
            Choices c = k.choices();
            long pages = Gen.pages(c);
            int g = createShared(k, pages);
            k.require(k.apply(new Operation.CloseVm(0)) instanceof Observation.Ok, "closing the VM fd succeeds");
            k.require(k.apply(new Operation.Stat(g)).equals(new Observation.FileSize(pages * PAGE_SIZE)), "the file is still there");
            byte fill = Gen.fill(c);
            Range r = Gen.validRange(c, pages);
            k.require(write(k, g, r, fill) instanceof Observation.Ok, "the host still writes its shared pages");
            k.require(readsAll(k.apply(new Operation.HostRead(g, r.offset(), r.size(), 0)), r.size(), fill), "and reads them back");
            k.require(isFailed(k.apply(new Operation.Create(0, PAGE_SIZE, Gen.sharedFlags(k.edition()))), Errno.EBADF),
                    "the closed VM makes no new guest_memfd");
        }));
        p.add(ClauseProperty.of("LIFE-2", "create/close cycles leave nothing behind", k -> {
            Choices c = k.choices();
            int cycles = 1 + c.drawInt(40);
            List<Integer> closed = new ArrayList<>();
            for (int i = 0; i < cycles; i++) {
                long pages = Gen.pages(c);
                int g = createShared(k, pages);
                boolean bound = c.draw(3) == 0;
                if (bound) bindWhole(k, g);
                int pin = -1;
                if (c.draw(3) == 0) {
                    Observation o = k.apply(new Operation.Pin(g, 0, PAGE_SIZE));
                    if (o instanceof Observation.Pinned pp) pin = pp.pin();
                }
                if (pin >= 0) k.require(k.apply(new Operation.Unpin(pin)) instanceof Observation.Ok, "unpin succeeds");
                if (bound) k.require(k.apply(new Operation.Unbind(g)) instanceof Observation.Ok, "unbind succeeds");
                k.require(k.apply(new Operation.Close(g)) instanceof Observation.Ok, "close succeeds");
                closed.add(g);
            }
            for (int g : closed) {
                k.require(isFailed(k.apply(new Operation.Stat(g)), Errno.EBADF), "a closed guest_memfd is gone");
            }
            k.require(k.state().liveGmems().isEmpty() && k.state().livePins().isEmpty() && k.state().bindings().isEmpty(),
                    "after closing everything the world is empty again");
        }));
    }
}
