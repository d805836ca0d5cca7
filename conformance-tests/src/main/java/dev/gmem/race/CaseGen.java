package dev.gmem.race;

import dev.gmem.api.Capabilities;
import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.MapKind;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.OperationKind;
import dev.gmem.api.PageState;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import dev.gmem.property.Choices;
import dev.gmem.suite.Gen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;

/**
 * Generates concurrent cases from a seed. The prefix is generated against the model's state (as
 * SEQ does): one small mappable shared guest_memfd, its memslot when vCPU threads come, some pages
 * written, pinned or converted. The threads then aim at the same few pages so that their
 * operations collide. Every range is valid (error paths are SEQ's business, races are about
 * operations that do something).
 *
 * <p>What a correct kernel does not make atomic stays out of the threads, so that it is never
 * flagged: a host read, write or pin touches one aligned word or one page (a multi-page copy or
 * vmsplice takes its pages one by one, and a punch may fall between them), and only the first
 * host thread writes (two copies racing over the same bytes leave a mix no model state holds; a
 * read racing a write may be torn, which the model allows).
 */
public final class CaseGen {
    /** Pages of the case's guest_memfd: few, so that threads collide. */
    static final int MAX_PAGES = 4;

    private final Edition edition;
    private final ReferenceModel model;
    private final Capabilities capabilities;
    private final Mix mix;
    private final int maxThreads;
    private final int maxSteps;
    /** Exactly {@code maxThreads} threads of {@code maxSteps} steps (benchmarks), not up to. */
    private boolean exact;

    /** Cases of 2..{@code maxThreads} threads with 1..{@code maxSteps} steps each. */
    public CaseGen(Edition edition, Capabilities capabilities, Mix mix, int maxThreads, int maxSteps) {
        this.edition = edition;
        this.model = ReferenceModel.of(edition);
        this.capabilities = capabilities;
        this.mix = mix;
        this.maxThreads = Math.max(2, maxThreads);
        this.maxSteps = Math.max(1, maxSteps);
    }

    /** The same generator making cases of exactly its most threads and steps. */
    public CaseGen exact() {
        CaseGen g = new CaseGen(edition, capabilities, mix, maxThreads, maxSteps);
        g.exact = true;
        return g;
    }

    public CaseGen(Edition edition, Capabilities capabilities, Mix mix) {
        this(edition, capabilities, mix, 4, 4);
    }

    private List<OperationKind> kinds(java.util.Set<OperationKind> wanted) {
        List<OperationKind> out = new ArrayList<>();
        for (OperationKind k : OperationKind.values()) {
            if (!wanted.contains(k) || !capabilities.supports(k)) continue;
            if (k == OperationKind.CONVERT && !edition.converts()) continue;
            if (k == OperationKind.GUEST_REQUEST_CONVERSION && !edition.guestRequestsConversion()) continue;
            out.add(k);
        }
        return out;
    }

    /** Where the generator's decisions come from; 0 is the simplest answer. */
    private interface Source {
        int nextInt(int bound);

        default boolean nextBoolean() {
            return nextInt(2) == 1;
        }

        /** Whether a list goes on; choices mark each element as one unit for the shrinker. */
        default boolean more() {
            return nextInt(2) == 1;
        }

        default void start() {
        }

        default void end() {
        }
    }

    /** A case from a seed (the race search; replay by seed). */
    public ConcurrentCase generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return generate(seed, random::nextInt);
    }

    /** A case from the property engine's choices, each thread and step one span, so that shrinking deletes them. */
    public ConcurrentCase generate(Choices c) {
        long seed = c.draw(1L << 48);
        return generate(seed, new Source() {
            public int nextInt(int bound) {
                return c.drawInt(bound);
            }

            public void start() {
                c.startSpan();
            }

            public void end() {
                c.endSpan();
            }
        });
    }

    private ConcurrentCase generate(long seed, Source r) {
        List<OperationKind> hostKinds = kinds(mix.host());
        List<OperationKind> guestKinds = capabilities.supports(OperationKind.BIND) ? kinds(mix.guest()) : List.of();
        int pages = 1 + r.nextInt(MAX_PAGES);
        List<Operation> prefix = new ArrayList<>();
        ModelState[] state = {model.initial()};
        java.util.function.Consumer<Operation> add = op -> {
            Expectation e = model.expect(state[0], op);
            Observation o = e.example();
            state[0] = e.next(o);
            prefix.add(op);
        };
        add.accept(new Operation.Create(0, pages * PAGE_SIZE, Gen.sharedFlags(edition)));
        boolean vcpus = !guestKinds.isEmpty();
        if (vcpus) add.accept(Operation.Bind.canonical(0, 0, 0, pages * PAGE_SIZE));
        for (int p = 0; p < pages; p++) {
            if (capabilities.supports(OperationKind.HOST_WRITE) && r.nextInt(3) != 0) {
                add.accept(new Operation.HostWrite(0, p * PAGE_SIZE, PAGE_SIZE, fill(r), 0));
            }
        }
        if (capabilities.supports(OperationKind.PIN) && r.nextInt(3) == 0) {
            add.accept(new Operation.Pin(0, r.nextInt(pages) * PAGE_SIZE, PAGE_SIZE));
        }
        if (edition.converts() && capabilities.supports(OperationKind.CONVERT) && r.nextInt(4) == 0) {
            add.accept(Operation.Convert.of(0, r.nextInt(pages) * PAGE_SIZE, PAGE_SIZE, PageState.PRIVATE));
        }
        List<Integer> prefixPins = state[0].livePins().stream().map(ModelState.PinInfo::handle).toList();

        int vcpuThreads = 0;
        boolean writer = false;
        List<OperationKind> hostKindsNoWrite = hostKinds.stream().filter(k -> k != OperationKind.HOST_WRITE).toList();
        List<ThreadScript> scripts = new ArrayList<>();
        for (int t = 0; t < maxThreads; t++) {
            r.start();
            if (t >= 2 && !exact && !r.more()) {
                r.end();
                break;
            }
            boolean vcpu = vcpus && (hostKinds.isEmpty() || (vcpuThreads < 2 && r.nextInt(3) == 0));
            if (vcpu) vcpuThreads++;
            List<OperationKind> k = vcpu ? guestKinds : writer ? hostKindsNoWrite : hostKinds;
            if (!vcpu) writer = true;
            List<Step> script = new ArrayList<>();
            int ownPins = 0;
            for (int s = 0; s < maxSteps && !k.isEmpty(); s++) {
                r.start();
                boolean more = s == 0 || exact || r.more();
                if (more) {
                    Step step = step(r, k, pages, ownPins, prefixPins);
                    if (step instanceof Step.Fixed f && f.operation() instanceof Operation.Pin) ownPins++;
                    script.add(step);
                }
                r.end();
                if (!more) break;
            }
            if (!script.isEmpty()) scripts.add(new ThreadScript(vcpu ? ThreadScript.Role.VCPU : ThreadScript.Role.HOST, script));
            r.end();
        }
        return new ConcurrentCase(seed, prefix, scripts);
    }

    private Step step(Source r, List<OperationKind> kinds, int pages, int ownPins, List<Integer> prefixPins) {
        OperationKind kind = kinds.get(r.nextInt(kinds.size()));
        long page = r.nextInt(pages);
        long count = Math.min(pages - page, r.nextBoolean() ? 2 : 1);
        long offset = page * PAGE_SIZE;
        long size = count * PAGE_SIZE;
        switch (kind) {
            case CONVERT:
                return fixed(Operation.Convert.of(0, offset, size, r.nextInt(3) == 0 ? PageState.SHARED : PageState.PRIVATE));
            case PIN:
                return fixed(new Operation.Pin(0, offset, PAGE_SIZE));
            case UNPIN:
                if (ownPins > 0 && (prefixPins.isEmpty() || r.nextBoolean())) return new Step.UnpinOwn(r.nextInt(ownPins));
                if (!prefixPins.isEmpty()) return fixed(new Operation.Unpin(prefixPins.get(r.nextInt(prefixPins.size()))));
                return fixed(new Operation.Pin(0, offset, PAGE_SIZE));
            case PUNCH_HOLE:
                return fixed(new Operation.PunchHole(0, offset, size));
            case ALLOCATE:
                return fixed(new Operation.Allocate(0, offset, size, true));
            case HOST_READ:
                return r.nextBoolean() ? fixed(new Operation.HostRead(0, offset + 8L * r.nextInt(4), 8, 0))
                        : fixed(new Operation.HostRead(0, offset, PAGE_SIZE, 0));
            case HOST_WRITE:
                return r.nextBoolean() ? fixed(new Operation.HostWrite(0, offset + 8L * r.nextInt(4), 8, fill(r), 0))
                        : fixed(new Operation.HostWrite(0, offset, PAGE_SIZE, fill(r), 0));
            case MMAP:
                return fixed(new Operation.Mmap(0, MapKind.SHARED));
            case GUEST_READ:
                return fixed(new Operation.GuestRead(GuestLayout.gpa(0, offset) + 8L * r.nextInt(4)));
            case GUEST_WRITE:
                return fixed(new Operation.GuestWrite(GuestLayout.gpa(0, offset) + 8L * r.nextInt(4), 1 + r.nextInt(1 << 16)));
            case GUEST_REQUEST_CONVERSION:
                return fixed(new Operation.GuestRequestConversion(GuestLayout.gpa(0, offset), PAGE_SIZE,
                        r.nextInt(3) == 0 ? PageState.SHARED : PageState.PRIVATE));
            default:
                throw new IllegalStateException("no concurrent generator for " + kind);
        }
    }

    private static Step fixed(Operation op) {
        return new Step.Fixed(op);
    }

    private static byte fill(Source r) {
        return (byte) (1 + r.nextInt(255));
    }
}
