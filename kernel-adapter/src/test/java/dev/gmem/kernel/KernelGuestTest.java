package dev.gmem.kernel;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation.Bind;
import dev.gmem.api.Operation.Create;
import dev.gmem.api.Operation.GuestRead;
import dev.gmem.api.Operation.GuestRequestConversion;
import dev.gmem.api.Operation.GuestWrite;
import dev.gmem.api.Operation.HostRead;
import dev.gmem.api.Operation.HostWrite;
import dev.gmem.api.OperationKind;
import dev.gmem.api.PageState;
import dev.gmem.api.Session;
import org.junit.jupiter.api.Test;

import static dev.gmem.kernel.KvmAvailable.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** GUEST clauses the vCPU of this machine can express, through a guest_memfd-backed memslot. */
class KernelGuestTest {
    static final long PAGE = GuestLayout.PAGE_SIZE;

    private static Edition guestEdition() {
        Edition e = KvmAvailable.edition();
        var caps = target().capabilities(e);
        assumeTrue(caps.supports(OperationKind.GUEST_READ), () -> "skipped: " + caps.whyNot(OperationKind.GUEST_READ).get());
        return e;
    }

    @Test
    void aSharedPageIsCoherentBetweenHostAndGuest() throws Exception {
        Edition e = guestEdition();
        assumeTrue(e.mmapFlag() != 0 || e.hostViewIsSeparate(), () -> "skipped: " + e.name() + " gives the host no view");
        long flags = e.mmapFlag() | (e.initialState() == PageState.PRIVATE ? e.initialFlipFlag() : 0);
        try (Session s = target().open(e)) {
            int g = ((Observation.Created) s.apply(new Create(0, 2 * PAGE, flags))).gmem();
            assertThat(s.apply(Bind.canonical(0, g, 0, 2 * PAGE))).isEqualTo(Observation.Ok.INSTANCE);
            long gpa = GuestLayout.gpa(g, 0);
            assertThat(s.apply(new GuestRead(gpa))).isEqualTo(new Observation.GuestValue(0));
            assertThat(s.apply(new HostWrite(g, 0, 8, (byte) 0x11, 0))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new GuestRead(gpa))).as("the guest reads what the host wrote")
                    .isEqualTo(new Observation.GuestValue(0x1111_1111_1111_1111L));
            assertThat(s.apply(new GuestWrite(gpa + PAGE + 8, 0x0123_4567_89AB_CDEFL))).isEqualTo(Observation.Ok.INSTANCE);
            assertThat(s.apply(new HostRead(g, PAGE + 8, 8, 1))).as("the host reads what the guest wrote")
                    .isEqualTo(new Observation.Read(Bytes.ofLong(0x0123_4567_89AB_CDEFL)));
        }
    }

    @Test
    void anAccessOutsideEveryMemslotIsAnMmioExit() throws Exception {
        Edition e = guestEdition();
        try (Session s = target().open(e)) {
            long gpa = GuestLayout.gpa(5, 0x3000);
            assertThat(s.apply(new GuestRead(gpa))).isEqualTo(new Observation.MmioExit(gpa, false));
            assertThat(s.apply(new GuestWrite(gpa, 1))).isEqualTo(new Observation.MmioExit(gpa, true));
            assertThat(s.apply(new GuestRead(GuestImage.SCRATCH))).as("the vCPU runs again after an MMIO exit")
                    .isEqualTo(new Observation.GuestValue(0));
        }
    }

    @Test
    void aGuestThatNeverReturnsIsAWatchdogObservation() throws Exception {
        Edition e = guestEdition();
        assumeTrue(KvmAvailable.profile().hypercallExits() != null, "skipped: hypercalls exit on this kernel");
        // the session answers Unsupported where hypercalls never exit: drive the runner directly
        KvmDevice kvm = KvmDevice.open();
        try (Vm vm = kvm.createVm(e.vmType().number()); GuestRunner r = GuestRunner.start(vm, 0, 200)) {
            long t0 = System.nanoTime();
            Observation o = r.requestConversion(GuestLayout.BASE, PAGE, true, (gpa, size, p) -> 0);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(o).isInstanceOf(Observation.OtherExit.class);
            assertThat(((Observation.OtherExit) o).reason()).contains("watchdog");
            assertThat(ms).isLessThan(5_000);
            assertThat(r.read(GuestImage.SCRATCH)).as("the vCPU is usable after the watchdog")
                    .isEqualTo(new Observation.GuestValue(0));
        } finally {
            kvm.close();
        }
    }

    @Test
    void unsupportedGuestOperationsSayWhy() throws Exception {
        Edition e = KvmAvailable.edition();
        var caps = target().capabilities(e);
        assumeTrue(!caps.supports(OperationKind.GUEST_REQUEST_CONVERSION), "skipped: guest conversion supported here");
        try (Session s = target().open(e)) {
            Observation o = s.apply(new GuestRequestConversion(GuestLayout.BASE, PAGE, PageState.PRIVATE));
            assertThat(o).isEqualTo(new Observation.Unsupported(caps.whyNot(OperationKind.GUEST_REQUEST_CONVERSION).get()));
        }
    }
}
