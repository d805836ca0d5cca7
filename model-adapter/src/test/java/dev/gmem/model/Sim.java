package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the model as a target would, checking at each step that its own answer is allowed. */
final class Sim {
    static final long PAGE = GuestLayout.PAGE_SIZE;
    static final Observation OK = Observation.Ok.INSTANCE;

    final Edition edition;
    private final ReferenceModel model;
    private ModelState state;

    private Sim(Edition edition, KernelFacts facts) {
        this.edition = edition;
        this.model = ReferenceModel.of(edition, facts);
        this.state = model.initial();
    }

    static Sim of(Edition edition) {
        return new Sim(edition, edition.kernelFacts());
    }

    /** The edition on a kernel whose release-dependent answers are {@code facts}. */
    static Sim of(Edition edition, KernelFacts facts) {
        return new Sim(edition, facts);
    }

    static Observation failed(Errno errno) {
        return new Observation.Failed(errno);
    }

    static Observation read(long length, int value) {
        return new Observation.Read(Bytes.fill(length, (byte) value));
    }

    /** Flags that make a file mappable with every page SHARED, in each edition's own bits. */
    static long sharedFlags(Edition e) {
        long flags = e.mmapFlag();
        if (e.initialState() == PageState.PRIVATE) flags |= e.initialFlipFlag();
        return flags;
    }

    /** Flags that make a file mappable with every page PRIVATE (where the edition has them). */
    static long privateFlags(Edition e) {
        long flags = e.mmapFlag();
        if (e.initialState() == PageState.SHARED) flags |= e.initialFlipFlag();
        return flags;
    }

    Expectation expect(Operation op) {
        return model.expect(state, op);
    }

    Observation apply(Operation op) {
        Expectation x = model.expect(state, op);
        Observation o = x.example();
        assertThat(x.allows(o)).as("the model allows its own example for %s", op).isTrue();
        state = x.next(o);
        return o;
    }

    ModelState state() {
        return state;
    }

    int createPages(long pages, long flags) {
        Observation o = apply(new Operation.Create(0, pages * PAGE, flags));
        assertThat(o).isInstanceOf(Observation.Created.class);
        return ((Observation.Created) o).gmem();
    }

    /** A file of {@code pages} pages, mappable, every page SHARED. */
    int createShared(long pages) {
        return createPages(pages, sharedFlags(edition));
    }

    Observation convert(int gmem, long firstPage, long pages, PageState target) {
        return apply(Operation.Convert.of(gmem, firstPage * PAGE, pages * PAGE, target));
    }

    Observation pin(int gmem, long page, long pages) {
        return apply(new Operation.Pin(gmem, page * PAGE, pages * PAGE));
    }

    Observation write(int gmem, long offset, long length, int fill) {
        return apply(new Operation.HostWrite(gmem, offset, length, (byte) fill, 0));
    }

    Observation read(int gmem, long offset, long length) {
        return apply(new Operation.HostRead(gmem, offset, length, 0));
    }

    /** Binds the whole of {@code gmem} at its canonical GPA in slot {@code slot}. */
    Observation bindAll(int slot, int gmem) {
        long size = state.gmem(gmem).orElseThrow().size();
        return apply(Operation.Bind.canonical(slot, gmem, 0, size));
    }

    PageState stateOf(int gmem, long page) {
        return state.pageState(gmem, page);
    }

    static long gpa(int gmem, long page) {
        return GuestLayout.gpa(gmem, page * PAGE);
    }
}
