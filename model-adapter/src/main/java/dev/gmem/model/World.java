package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.PageState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The model's state: immutable; every change makes a new World that shares all it did not
 * change (arrays of a few handles are copied, page and byte contents are {@link Runs}).
 */
final class World implements ModelState {
    /** VMs of a session: 0 is the session's VM, 1 a second VM for cross-VM checks. */
    static final int VM_COUNT = 2;
    /** GPA attributes are kept per GPA page: every 64-bit GPA has one. */
    static final long GPA_PAGES = 1L << 52;

    private static final GmemFile[] NO_GMEMS = {};
    private static final HeldPin[] NO_PINS = {};
    private static final BindingInfo[] NO_SLOTS = {};
    private static final long[] NO_GPAS = {};

    final Edition edition;
    final int openVms;
    final GmemFile[] gmems;
    final HeldPin[] pins;
    final int nextPin;
    final BindingInfo[] slots;
    final Runs gpaStates;
    final int clock;
    /**
     * GPA pages (sorted) that answered an MMIO exit since the last memslot change: KVM caches an
     * MMIO SPTE for them, tagged with the memslot generation, and serves later accesses from it
     * whatever the attributes say ("emulated MMIO is shared-only", arch/x86/kvm/mmu/mmu.c
     * kvm_mmu_page_fault; kvm_arch_pre_set_memory_attributes zaps only inside memslots).
     */
    final long[] mmioCached;
    /**
     * Conversions to private refused transiently in a row since the last one that succeeded (an
     * in-flight vCPU fault's folio reference, v13): the model allows only a bounded number.
     */
    final int transientRefusals;
    /** {@link #hashCode}, computed once (0: not yet). */
    private int hash;

    private World(Edition edition, int openVms, GmemFile[] gmems, HeldPin[] pins, int nextPin, BindingInfo[] slots,
                  Runs gpaStates, int clock, long[] mmioCached, int transientRefusals) {
        this.edition = edition;
        this.openVms = openVms;
        this.gmems = gmems;
        this.pins = pins;
        this.nextPin = nextPin;
        this.slots = slots;
        this.gpaStates = gpaStates;
        this.clock = clock;
        this.mmioCached = mmioCached;
        this.transientRefusals = transientRefusals;
    }

    static World initial(Edition edition) {
        return new World(edition, (1 << VM_COUNT) - 1, NO_GMEMS, NO_PINS, 0, NO_SLOTS,
                Runs.uniform(GPA_PAGES, edition.initialState().ordinal()), 0, NO_GPAS, 0);
    }

    /** Conversions set attributes per GPA on the VM rather than per page of the guest_memfd. */
    boolean perGpa() {
        return edition.perGpa();
    }

    boolean isVmOpen(int vm) {
        return vm >= 0 && vm < VM_COUNT && (openVms & (1 << vm)) != 0;
    }

    /** The live guest_memfd {@code handle}, or null. */
    GmemFile live(int handle) {
        if (handle < 0 || handle >= gmems.length) return null;
        GmemFile g = gmems[handle];
        return g.live() ? g : null;
    }

    HeldPin pin(int handle) {
        for (HeldPin p : pins) if (p.handle() == handle) return p;
        return null;
    }

    BindingInfo slot(int slot) {
        for (BindingInfo b : slots) if (b.slot() == slot) return b;
        return null;
    }

    /** The live memslot whose GPA range holds {@code gpa}, or null. */
    BindingInfo slotAt(long gpa) {
        for (BindingInfo b : slots) {
            if (Long.compareUnsigned(gpa, b.gpa()) >= 0 && Long.compareUnsigned(gpa - b.gpa(), b.size()) < 0) return b;
        }
        return null;
    }

    // ---- changes ----

    World withVmClosed(int vm) {
        return new World(edition, openVms & ~(1 << vm), gmems, pins, nextPin, slots, gpaStates, clock, mmioCached, transientRefusals);
    }

    World withNewGmem(GmemFile g) {
        GmemFile[] out = Arrays.copyOf(gmems, gmems.length + 1);
        out[gmems.length] = g;
        return new World(edition, openVms, out, pins, nextPin, slots, gpaStates, clock, mmioCached, transientRefusals);
    }

    World with(GmemFile g) {
        GmemFile[] out = gmems.clone();
        out[g.handle()] = g;
        return new World(edition, openVms, out, pins, nextPin, slots, gpaStates, clock, mmioCached, transientRefusals);
    }

    World withPunched(GmemFile g, int newClock) {
        GmemFile[] out = gmems.clone();
        out[g.handle()] = g;
        return new World(edition, openVms, out, pins, nextPin, slots, gpaStates, newClock, mmioCached, transientRefusals);
    }

    World withNewPin(HeldPin p) {
        HeldPin[] out = Arrays.copyOf(pins, pins.length + 1);
        out[pins.length] = p;
        return new World(edition, openVms, gmems, out, nextPin + 1, slots, gpaStates, clock, mmioCached, transientRefusals);
    }

    World withoutPin(HeldPin p, GmemFile changed) {
        HeldPin[] out = new HeldPin[pins.length - 1];
        int n = 0;
        for (HeldPin q : pins) if (q != p) out[n++] = q;
        GmemFile[] gs = gmems;
        if (changed != null) {
            gs = gmems.clone();
            gs[changed.handle()] = changed;
        }
        return new World(edition, openVms, gs, out, nextPin, slots, gpaStates, clock, mmioCached, transientRefusals);
    }

    World withSlot(BindingInfo b) {
        BindingInfo[] out = new BindingInfo[slots.length + 1];
        int n = 0;
        boolean placed = false;
        for (BindingInfo s : slots) {
            if (!placed && s.slot() > b.slot()) {
                out[n++] = b;
                placed = true;
            }
            out[n++] = s;
        }
        if (!placed) out[n] = b;
        return new World(edition, openVms, gmems, pins, nextPin, out, gpaStates, clock, NO_GPAS, transientRefusals);
    }

    World withoutSlot(BindingInfo b) {
        BindingInfo[] out = new BindingInfo[slots.length - 1];
        int n = 0;
        for (BindingInfo s : slots) if (s != b) out[n++] = s;
        return new World(edition, openVms, gmems, pins, nextPin, out, gpaStates, clock, NO_GPAS, transientRefusals);
    }

    World withTransientRefusals(int n) {
        if (n == transientRefusals) return this;
        return new World(edition, openVms, gmems, pins, nextPin, slots, gpaStates, clock, mmioCached, n);
    }

    World withGpaStates(Runs r) {
        return new World(edition, openVms, gmems, pins, nextPin, slots, r, clock, mmioCached, transientRefusals);
    }

    // ---- references ----

    /** Whether pin {@code p} still holds page {@code page} of its guest_memfd (not punched since). */
    boolean holds(HeldPin p, GmemFile g, long page) {
        return page >= p.firstPage() && page < p.endPage() && g.births().get(page) <= p.clock();
    }

    int referenceCount(GmemFile g, long page) {
        int n = 0;
        for (HeldPin p : pins) if (p.gmem() == g.handle() && holds(p, g, page)) n++;
        return n;
    }

    /** The first page in {@code [fromPage, toPage)} of {@code g} that a pin holds, or -1. */
    long firstReferenced(GmemFile g, long fromPage, long toPage) {
        long best = -1;
        for (HeldPin p : pins) {
            if (p.gmem() != g.handle()) continue;
            long lo = Math.max(fromPage, p.firstPage());
            long hi = Math.min(toPage, p.endPage());
            long page = g.births().firstAtMost(lo, hi, p.clock());
            if (page >= 0 && (best < 0 || page < best)) best = page;
        }
        return best;
    }

    // ---- ModelState ----

    @Override
    public List<GmemInfo> liveGmems() {
        List<GmemInfo> out = new ArrayList<>();
        for (GmemFile g : gmems) if (g.live()) out.add(g.info());
        return out;
    }

    @Override
    public Optional<GmemInfo> gmem(int handle) {
        GmemFile g = live(handle);
        return g == null ? Optional.empty() : Optional.of(g.info());
    }

    @Override
    public PageState pageState(int gmem, long page) {
        GmemFile g = requireLive(gmem, page);
        if (perGpa()) return PageState.values()[gpaStates.get(GuestLayout.gpa(gmem, page * GuestLayout.PAGE_SIZE) >>> 12)];
        return PageState.values()[g.states().get(page)];
    }

    @Override
    public int references(int gmem, long page) {
        return referenceCount(requireLive(gmem, page), page);
    }

    private GmemFile requireLive(int gmem, long page) {
        GmemFile g = live(gmem);
        if (g == null) throw new IllegalArgumentException("guest_memfd " + gmem + " is not open");
        if (page < 0 || page >= g.pages()) {
            throw new IllegalArgumentException("page " + page + " is outside guest_memfd " + gmem + " of " + g.pages() + " pages");
        }
        return g;
    }

    @Override
    public List<PinInfo> livePins() {
        List<PinInfo> out = new ArrayList<>(pins.length);
        for (HeldPin p : pins) out.add(p.info());
        return out;
    }

    @Override
    public List<BindingInfo> bindings() {
        return List.of(slots);
    }

    @Override
    public boolean vmOpen(int vm) {
        return isVmOpen(vm);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("World[").append(edition.name()).append(", vms=").append(openVms);
        for (GmemFile g : gmems) {
            sb.append(", gmem ").append(g.handle()).append(g.live() ? "" : " (closed)").append(" size=0x")
                    .append(Long.toHexString(g.size())).append(" states=").append(g.states());
        }
        sb.append(", pins=").append(Arrays.toString(pins)).append(", slots=").append(Arrays.toString(slots));
        return sb.append(']').toString();
    }

    boolean mmioCachedAt(long gpaPage) {
        return Arrays.binarySearch(mmioCached, gpaPage) >= 0;
    }

    World withMmioCached(long gpaPage) {
        int at = Arrays.binarySearch(mmioCached, gpaPage);
        if (at >= 0) return this;
        int ins = -at - 1;
        long[] out = new long[mmioCached.length + 1];
        System.arraycopy(mmioCached, 0, out, 0, ins);
        out[ins] = gpaPage;
        System.arraycopy(mmioCached, ins, out, ins + 1, mmioCached.length - ins);
        return new World(edition, openVms, gmems, pins, nextPin, slots, gpaStates, clock, out, transientRefusals);
    }

    /**
     * Two worlds are equal when every later step answers alike in both; a linearizability checker
     * memoises on it (the punch clock is compared as it is, though only its order matters).
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof World w) || hashCode() != w.hashCode()) return false;
        return (edition == w.edition || edition.equals(w.edition)) && openVms == w.openVms && nextPin == w.nextPin && clock == w.clock
                && Arrays.equals(gmems, w.gmems) && Arrays.equals(pins, w.pins) && Arrays.equals(slots, w.slots)
                && gpaStates.equals(w.gpaStates) && Arrays.equals(mmioCached, w.mmioCached)
                && transientRefusals == w.transientRefusals;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = java.util.Objects.hash(openVms, nextPin, clock, gpaStates, transientRefusals);
            h = h * 31 + Arrays.hashCode(gmems);
            h = h * 31 + Arrays.hashCode(pins);
            h = h * 31 + Arrays.hashCode(slots);
            h = h * 31 + Arrays.hashCode(mmioCached);
            if (h == 0) h = 1;
            hash = h;
        }
        return h;
    }
}
