package dev.gmem.suite;

import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.model.ModelState;
import dev.gmem.property.Choices;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/**
 * Generates the next operation of a sequence against the model's current state: an unpin names a
 * live pin, conversions often cover pinned or just-written pages, guest accesses often hit pages
 * just converted, binds aim at live files. The weights say how often each kind comes; kinds the
 * target cannot perform are never generated.
 */
public final class OperationGen {
    private static final Map<OperationKind, Integer> WEIGHTS = new EnumMap<>(OperationKind.class);

    static {
        WEIGHTS.put(OperationKind.CREATE, 3);
        WEIGHTS.put(OperationKind.CONVERT, 10);
        WEIGHTS.put(OperationKind.HOST_READ, 8);
        WEIGHTS.put(OperationKind.HOST_WRITE, 6);
        WEIGHTS.put(OperationKind.PIN, 4);
        WEIGHTS.put(OperationKind.UNPIN, 3);
        WEIGHTS.put(OperationKind.PUNCH_HOLE, 3);
        WEIGHTS.put(OperationKind.ALLOCATE, 1);
        WEIGHTS.put(OperationKind.FILE_CALL, 1);
        WEIGHTS.put(OperationKind.STAT, 1);
        WEIGHTS.put(OperationKind.MMAP, 1);
        WEIGHTS.put(OperationKind.BIND, 3);
        WEIGHTS.put(OperationKind.UNBIND, 1);
        WEIGHTS.put(OperationKind.GUEST_READ, 5);
        WEIGHTS.put(OperationKind.GUEST_WRITE, 5);
        WEIGHTS.put(OperationKind.GUEST_REQUEST_CONVERSION, 3);
        WEIGHTS.put(OperationKind.CLOSE, 1);
        WEIGHTS.put(OperationKind.CLOSE_VM, 1);
    }

    /** The kinds of {@link #WEIGHTS} in order and their weights: what each test case's generator filters. */
    private static final OperationKind[] WEIGHED = WEIGHTS.keySet().toArray(OperationKind[]::new);
    private static final int[] WEIGHT = WEIGHTS.values().stream().mapToInt(Integer::intValue).toArray();

    /** The kind each value of the kind choice stands for: {@code weight} consecutive values per kind, in order. */
    private final OperationKind[] kindAt;

    /** Generates only the kinds {@code k}'s target supports; CREATE always comes first in the weights. */
    public OperationGen(Checker k) {
        int[] weights = new int[WEIGHED.length];
        int total = 0;
        for (int i = 0; i < WEIGHED.length; i++) {
            OperationKind kind = WEIGHED[i];
            if (!k.supports(kind)) continue;
            if (kind == OperationKind.GUEST_REQUEST_CONVERSION && !k.edition().guestRequestsConversion()) continue;
            // an edition without conversion answers every convert alike: a few of them (kept) suffice
            weights[i] = kind == OperationKind.CONVERT && !k.edition().converts() ? 1 : WEIGHT[i];
            total += weights[i];
        }
        kindAt = new OperationKind[total];
        int at = 0;
        for (int i = 0; i < WEIGHED.length; i++) {
            for (int w = 0; w < weights[i]; w++) kindAt[at++] = WEIGHED[i];
        }
    }

    public Operation next(Checker k) {
        Choices c = k.choices();
        ModelState.GmemInfo g = Gen.liveGmem(c, k.state());
        if (g == null) return create(c, k.edition());
        return of(kindAt[(int) c.draw(kindAt.length)], k, g);
    }

    private static Operation create(Choices c, Edition e) {
        // the simplest choices create a usable (mappable, shared) file in the session's VM
        int vm = c.chance(8) ? 1 : 0;
        long size = c.draw(4) == 3 ? Gen.createSize(c) : Gen.pages(c) * PAGE_SIZE;
        long flags = c.draw(3) == 2 ? Gen.createFlags(c, e) : Gen.sharedFlags(e);
        return new Operation.Create(vm, size, flags);
    }

    private Operation of(OperationKind kind, Checker k, ModelState.GmemInfo g) {
        Choices c = k.choices();
        ModelState s = k.state();
        Edition e = k.edition();
        int gmem = g.handle();
        long pages = g.pages();
        switch (kind) {
            case CREATE:
                return create(c, e);
            case CONVERT: {
                Range r = aimedRange(c, s, g);
                return new Operation.Convert(gmem, r.offset(), r.size(), Gen.conversionTarget(c), raw(c));
            }
            case HOST_READ: {
                Range r = accessRange(k, g);
                return new Operation.HostRead(gmem, r.offset(), r.size(), c.chance(4) ? 1 : 0);
            }
            case HOST_WRITE: {
                Range r = accessRange(k, g);
                return new Operation.HostWrite(gmem, r.offset(), r.size(), Gen.fill(c), c.chance(4) ? 1 : 0);
            }
            case PIN: {
                Range r = accessRange(k, g);
                // size 0 pins nothing: refused
                return new Operation.Pin(gmem, r.offset(), c.chance(16) ? 0 : r.size());
            }
            case UNPIN: {
                List<ModelState.PinInfo> pins = s.livePins();
                if (pins.isEmpty() || c.chance(16)) return new Operation.Unpin(c.drawInt(4));
                int h = c.drawInt(pins.get(pins.size() - 1).handle() + 1);
                return new Operation.Unpin(pins.stream().filter(pi -> pi.handle() >= h).findFirst().orElseThrow().handle());
            }
            case PUNCH_HOLE: {
                Range r = c.chance(4) ? Gen.edgeRange(c, pages) : Gen.validRange(c, pages);
                return new Operation.PunchHole(gmem, r.offset(), r.size());
            }
            case ALLOCATE: {
                Range r = c.chance(3) ? Gen.edgeRange(c, pages) : Gen.validRange(c, pages);
                return new Operation.Allocate(gmem, r.offset(), r.size(), !c.chance(6));
            }
            case FILE_CALL:
                return new Operation.FileCall(gmem, Gen.fileSyscall(c));
            case STAT:
                return new Operation.Stat(gmem);
            case MMAP:
                return new Operation.Mmap(gmem, Gen.mapKind(c));
            case BIND:
                return bind(c, s, g);
            case UNBIND: {
                List<ModelState.BindingInfo> b = s.bindings();
                if (b.isEmpty() || c.chance(8)) return new Operation.Unbind(c.drawInt(4));
                return new Operation.Unbind(b.get(c.drawInt(b.size())).slot());
            }
            case GUEST_READ:
                return new Operation.GuestRead(guestAddress(k, g));
            case GUEST_WRITE:
                return new Operation.GuestWrite(guestAddress(k, g), 1 + c.draw(1L << 16));
            case GUEST_REQUEST_CONVERSION: {
                if (c.chance(4)) {
                    Range r = acrossASlotEdge(c, s);
                    if (r != null) return new Operation.GuestRequestConversion(r.offset(), r.size(), Gen.conversionTarget(c));
                }
                Range r = c.chance(4) ? Gen.edgeRange(c, pages) : Gen.validRange(c, pages);
                long gpa = GuestLayout.gpa(gmem, r.offset());
                return new Operation.GuestRequestConversion(gpa, r.size(), Gen.conversionTarget(c));
            }
            case CLOSE:
                return new Operation.Close(gmem);
            case CLOSE_VM:
                return new Operation.CloseVm(c.chance(4) ? 0 : 1);
            default:
                throw new IllegalStateException("no generator for " + kind);
        }
    }

    /** Mostly well-formed; sometimes a nonzero input error_offset, flags, attributes or reserved word. */
    private static Operation.Convert.Raw raw(Choices c) {
        if (!c.chance(8)) return Operation.Convert.Raw.NONE;
        switch (c.drawInt(4)) {
            case 0: return new Operation.Convert.Raw(PAGE_SIZE * (1 + c.draw(4)), 0, 0, 0);
            case 1: return new Operation.Convert.Raw(0, 1L << c.drawInt(8), 0, 0);
            // an attribute bit other than KVM_MEMORY_ATTRIBUTE_PRIVATE (bit 3), which the target adds itself
            case 2: return new Operation.Convert.Raw(0, 0, 1L << (4 + c.drawInt(8)), 0);
            default: return new Operation.Convert.Raw(0, 0, 0, 1 + c.draw(8));
        }
    }

    /** A conversion range: often a pinned range, else valid, sometimes an edge. */
    private static Range aimedRange(Choices c, ModelState s, ModelState.GmemInfo g) {
        switch (c.drawInt(5)) {
            case 1: {
                for (ModelState.PinInfo p : s.livePins()) {
                    if (p.gmem() == g.handle()) {
                        long first = p.offset() / PAGE_SIZE;
                        long before = c.draw(first + 1);
                        long end = Math.min(g.pages(), (p.offset() + p.length() + PAGE_SIZE - 1) / PAGE_SIZE);
                        long after = c.draw(g.pages() - end + 1);
                        return Range.pages(first - before, end - first + before + after);
                    }
                }
                return Gen.validRange(c, g.pages());
            }
            case 2:
                return Gen.edgeRange(c, g.pages());
            case 3: {
                // across the file offsets a memslot binds: from inside it to past its end (or its start)
                for (ModelState.BindingInfo b : s.bindings()) {
                    if (b.gmem() != g.handle()) continue;
                    long first = b.offset() / PAGE_SIZE;
                    long end = (b.offset() + b.size()) / PAGE_SIZE;
                    long from = c.chance(2) ? c.draw(first + 1) : first + c.draw(Math.max(1, end - first));
                    long to = Math.max(from + 1, Math.min(g.pages(), end + 1 + c.draw(2)));
                    return Range.pages(from, to - from);
                }
                return Gen.validRange(c, g.pages());
            }
            default:
                return Gen.validRange(c, g.pages());
        }
    }

    /** A GPA range from inside a live memslot to past its end, or null when there is none. */
    private static Range acrossASlotEdge(Choices c, ModelState s) {
        List<ModelState.BindingInfo> b = s.bindings();
        if (b.isEmpty()) return null;
        ModelState.BindingInfo slot = b.get(c.drawInt(b.size()));
        long pages = slot.size() / PAGE_SIZE;
        long first = c.draw(pages);
        return new Range(slot.gpa() + first * PAGE_SIZE, (pages - first + 1 + c.draw(2)) * PAGE_SIZE);
    }

    /** A host access range: often the pages just converted; mostly whole pages; sometimes past the end. */
    private static Range accessRange(Checker k, ModelState.GmemInfo g) {
        Choices c = k.choices();
        Checker.Recent recent = k.recent();
        switch (c.drawInt(6)) {
            case 1:
                if (recent.gmem() == g.handle() && Long.compareUnsigned(recent.offset(), g.size()) < 0) {
                    return new Range(recent.offset(), PAGE_SIZE);
                }
                return Gen.validRange(c, g.pages());
            case 2: {
                long page = c.draw(g.pages() + 1);
                return new Range(page * PAGE_SIZE + c.draw(PAGE_SIZE), 1 + c.draw(64));
            }
            case 3:
                return new Range(g.size() - PAGE_SIZE * c.draw(2), PAGE_SIZE);
            default:
                return Gen.validRange(c, g.pages());
        }
    }

    /** Where a generated binding's GPA lies. */
    enum BindGpa { CANONICAL, ANYWHERE, OVERLAPPING_A_SLOT, AFTER_A_SLOT, MISALIGNED }

    /** Which part of the file a generated binding covers. */
    enum BindRange { WHOLE_FILE, PART, OVERLAPPING_A_BOUND_RANGE, EDGE }

    /**
     * A bind: the whole file at its canonical GPA mostly; else a part of it, offsets another slot of
     * the file binds, an edge range; at any GPA the guest maps, inside or right after a live slot, or
     * misaligned. Overlaps in GPA (EEXIST) and in offset (EINVAL) both come, alone and together.
     */
    private static Operation bind(Choices c, ModelState s, ModelState.GmemInfo g) {
        int slot = c.drawInt(4);
        List<ModelState.BindingInfo> slots = s.bindings();
        BindRange what = c.chance(2) ? BindRange.values()[1 + c.drawInt(3)] : BindRange.WHOLE_FILE;
        Range r = switch (what) {
            case WHOLE_FILE -> new Range(0, g.size());
            case PART -> Gen.validRange(c, g.pages());
            case OVERLAPPING_A_BOUND_RANGE -> {
                ModelState.BindingInfo same = slots.stream().filter(b -> b.gmem() == g.handle()).findFirst().orElse(null);
                yield same == null ? Gen.validRange(c, g.pages())
                        : Gen.validSubRange(c, new Range(same.offset(), same.size()));
            }
            case EDGE -> Gen.edgeRange(c, g.pages());
        };
        BindGpa where = c.chance(2) ? BindGpa.values()[1 + c.drawInt(4)] : BindGpa.CANONICAL;
        long gpa = GuestLayout.gpa(g.handle(), r.offset());
        switch (where) {
            case ANYWHERE:
                gpa = GuestLayout.BASE + c.draw((GuestLayout.end() - GuestLayout.BASE) / PAGE_SIZE) * PAGE_SIZE;
                break;
            case OVERLAPPING_A_SLOT:
            case AFTER_A_SLOT:
                if (!slots.isEmpty()) {
                    ModelState.BindingInfo other = slots.get(c.drawInt(slots.size()));
                    gpa = where == BindGpa.AFTER_A_SLOT ? other.gpa() + other.size()
                            : other.gpa() + c.draw(Math.max(1, other.size() / PAGE_SIZE)) * PAGE_SIZE;
                }
                break;
            case MISALIGNED:
                gpa += 1 + c.draw(PAGE_SIZE - 1);
                break;
            default:
                break;
        }
        return new Operation.Bind(slot, g.handle(), r.offset(), r.size(), gpa);
    }

    /** An 8-aligned GPA: often in the range just converted, mostly inside a live binding. */
    private static long guestAddress(Checker k, ModelState.GmemInfo g) {
        Choices c = k.choices();
        Checker.Recent recent = k.recent();
        long inPage = 8 * c.draw(4);
        switch (c.drawInt(6)) {
            case 1:
                if (recent.gmem() >= 0 && recent.size() > 0 && recent.size() % PAGE_SIZE == 0) {
                    long page = c.draw(Math.max(1, recent.size() / PAGE_SIZE));
                    return GuestLayout.gpa(recent.gmem(), recent.offset() + page * PAGE_SIZE) + inPage;
                }
                break;
            case 3: {
                // a pinned page: after a conversion to private it is where PENDING_PRIVATE shows
                for (ModelState.PinInfo p : k.state().livePins()) {
                    if (p.gmem() == g.handle()) return GuestLayout.gpa(p.gmem(), p.offset() & -PAGE_SIZE) + inPage;
                }
                break;
            }
            case 2: {
                List<ModelState.BindingInfo> b = k.state().bindings();
                if (!b.isEmpty()) {
                    ModelState.BindingInfo bi = b.get(c.drawInt(b.size()));
                    // a page of the slot, or the one right after its end
                    return bi.gpa() + c.draw(bi.size() / PAGE_SIZE + 1) * PAGE_SIZE + inPage;
                }
                break;
            }
            case 4:
                // any GPA the guest maps, most of them outside every memslot
                return GuestLayout.BASE + c.draw((GuestLayout.end() - GuestLayout.BASE) / PAGE_SIZE) * PAGE_SIZE + inPage;
            default:
                break;
        }
        return GuestLayout.gpa(g.handle(), c.draw(g.pages()) * PAGE_SIZE) + inPage;
    }
}
