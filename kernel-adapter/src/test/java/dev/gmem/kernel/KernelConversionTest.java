package dev.gmem.kernel;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation.Bind;
import dev.gmem.api.Operation.Convert;
import dev.gmem.api.Operation.Create;
import dev.gmem.api.Operation.GuestRead;
import dev.gmem.api.Operation.GuestRequestConversion;
import dev.gmem.api.Operation.GuestWrite;
import dev.gmem.api.Operation.HostRead;
import dev.gmem.api.Operation.HostWrite;
import dev.gmem.api.Operation.Pin;
import dev.gmem.api.Operation.Unbind;
import dev.gmem.api.Operation.Unpin;
import dev.gmem.api.OperationKind;
import dev.gmem.api.PageState;
import dev.gmem.api.ReferenceRule;
import dev.gmem.api.Session;
import org.junit.jupiter.api.Test;

import static dev.gmem.kernel.KvmAvailable.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CONV, REF, GUEST (private pages, memory faults) and HCALL on a kernel that converts; on a kernel
 * without private memory every test is skipped with the capability's reason.
 */
class KernelConversionTest {
    static final long PAGE = GuestLayout.PAGE_SIZE;

    private static Edition converting(OperationKind kind) {
        Edition e = KvmAvailable.edition();
        var caps = target().capabilities(e);
        assumeTrue(caps.supports(kind), () -> "skipped: " + caps.whyNot(kind).orElse(""));
        return e;
    }

    /** Flags of a file whose pages start shared and that the host can see. */
    private static long sharedFlags(Edition e) {
        return e.mmapFlag() | (e.initialState() == PageState.PRIVATE ? e.initialFlipFlag() : 0);
    }

    private static int create(Session s, long size, long flags) {
        Observation o = s.apply(new Create(0, size, flags));
        assertThat(o).isInstanceOf(Observation.Created.class);
        return ((Observation.Created) o).gmem();
    }

    @Test
    void badRequestsAreEinvalAndGoodOnesConvertBothWays() throws Exception {
        Edition e = converting(OperationKind.CONVERT);
        try (Session s = target().open(e)) {
            int g = create(s, 4 * PAGE, sharedFlags(e));
            assertThat(s.apply(Convert.of(g, 1, PAGE, PageState.PRIVATE))).isEqualTo(new Observation.Failed(Errno.EINVAL));
            assertThat(s.apply(Convert.of(g, 0, PAGE + 1, PageState.PRIVATE))).isEqualTo(new Observation.Failed(Errno.EINVAL));
            assertThat(s.apply(Convert.of(g, PAGE, PAGE, PageState.PRIVATE))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(Convert.of(g, PAGE, PAGE, PageState.PRIVATE))).as("already private").isEqualTo(Observation.Ok.INSTANCE);
            if (!e.hostViewIsSeparate() && e.mmapFlag() != 0) {
                assertThat(s.apply(new HostRead(g, 0, 3 * PAGE, 0))).isEqualTo(new Observation.HostFault(PAGE));
                assertThat(s.apply(new HostRead(g, 2 * PAGE, PAGE, 1))).as("neighbours untouched")
                        .isEqualTo(new Observation.Read(Bytes.zeros(PAGE)));
            } else {
                assertThat(s.apply(new HostRead(g, PAGE, PAGE, 0))).as("the separate shared buffer never faults")
                        .isEqualTo(new Observation.Read(Bytes.zeros(PAGE)));
            }
            assertThat(s.apply(Convert.of(g, PAGE, PAGE, PageState.SHARED))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new HostRead(g, PAGE, 8, 0))).isInstanceOf(Observation.Read.class);
        }
    }

    @Test
    void aPinnedPageRefusesToBecomePrivate() throws Exception {
        Edition e = converting(OperationKind.CONVERT);
        assumeTrue(e.referenceRule() == ReferenceRule.REFUSE_EAGAIN, () -> "skipped: " + e.name() + " does not check references");
        try (Session s = target().open(e)) {
            int g = create(s, 4 * PAGE, sharedFlags(e));
            s.apply(new HostWrite(g, 0, 4 * PAGE, (byte) 0x42, 0));
            Observation pin = s.apply(new Pin(g, 2 * PAGE, PAGE));
            assertThat(pin).isInstanceOf(Observation.Pinned.class);
            assertThat(s.apply(Convert.of(g, 0, 4 * PAGE, PageState.PRIVATE)))
                    .isEqualTo(new Observation.Refused(Errno.EAGAIN, 2 * PAGE));
            assertThat(s.apply(new HostRead(g, 0, PAGE, 0))).as("nothing changed state")
                    .isEqualTo(new Observation.Read(Bytes.fill(PAGE, (byte) 0x42)));
            assertThat(s.apply(new Unpin(((Observation.Pinned) pin).pin()))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(Convert.of(g, 0, 4 * PAGE, PageState.PRIVATE))).isEqualTo(Observation.Ok.INSTANCE);
        }
    }

    @Test
    void aPrivatePageServesTheGuestAndStaysInvisibleToTheHost() throws Exception {
        Edition e = converting(OperationKind.CONVERT);
        var caps = target().capabilities(e);
        assumeTrue(caps.supports(OperationKind.GUEST_READ), () -> "skipped: " + caps.whyNot(OperationKind.GUEST_READ).get());
        try (Session s = target().open(e)) {
            int g = create(s, 2 * PAGE, sharedFlags(e));
            assertThat(s.apply(Bind.canonical(0, g, 0, 2 * PAGE))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(Convert.of(g, 0, PAGE, PageState.PRIVATE))).isEqualTo(Observation.Ok.INSTANCE);
            long gpa = GuestLayout.gpa(g, 0);
            assertThat(s.apply(new GuestWrite(gpa, 0x7777_0000_1234L))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new GuestRead(gpa))).isEqualTo(new Observation.GuestValue(0x7777_0000_1234L));
            if (e.hostViewIsSeparate()) {
                assertThat(s.apply(new HostRead(g, 0, 8, 0))).as("the guest's private write is not in the shared buffer")
                        .isEqualTo(new Observation.Read(Bytes.zeros(8)));
            } else {
                assertThat(s.apply(new HostRead(g, 0, 8, 0))).isEqualTo(new Observation.HostFault(0));
            }
        }
    }

    @Test
    void aPrivateAccessWithoutItsMemslotIsAMemoryFaultExit() throws Exception {
        Edition e = converting(OperationKind.CONVERT);
        var caps = target().capabilities(e);
        assumeTrue(caps.supports(OperationKind.GUEST_READ), () -> "skipped: " + caps.whyNot(OperationKind.GUEST_READ).get());
        assumeTrue(e.hostViewIsSeparate(), "skipped: private GPAs without a memslot exist only with per-GPA attributes");
        try (Session s = target().open(e)) {
            int g = create(s, 2 * PAGE, sharedFlags(e));
            assertThat(s.apply(Bind.canonical(0, g, 0, 2 * PAGE))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(Convert.of(g, 0, 2 * PAGE, PageState.PRIVATE))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new Unbind(0))).isEqualTo(Observation.Ok.INSTANCE);
            long gpa = GuestLayout.gpa(g, PAGE);
            assertThat(s.apply(new GuestRead(gpa + 16))).isEqualTo(new Observation.MemoryFaultExit(gpa, PAGE, true));
        }
    }

    @Test
    void aGuestRequestReachesTheHostAndConverts() throws Exception {
        Edition e = converting(OperationKind.GUEST_REQUEST_CONVERSION);
        try (Session s = target().open(e)) {
            int g = create(s, 2 * PAGE, sharedFlags(e));
            assertThat(s.apply(Bind.canonical(0, g, 0, 2 * PAGE))).isEqualTo(Observation.Ok.INSTANCE);
            long gpa = GuestLayout.gpa(g, 0);
            Observation o = s.apply(new GuestRequestConversion(gpa, 2 * PAGE, PageState.PRIVATE));
            assertThat(o).isInstanceOf(Observation.HypercallExit.class);
            Observation.HypercallExit h = (Observation.HypercallExit) o;
            assertThat(h.gpa()).isEqualTo(gpa);
            assertThat(h.pages()).isEqualTo(2);
            assertThat(h.hostResult()).isZero();
            assertThat(s.apply(Convert.of(g, 0, 2 * PAGE, PageState.PRIVATE))).as("already private").isEqualTo(Observation.Ok.INSTANCE);
        }
    }
}
