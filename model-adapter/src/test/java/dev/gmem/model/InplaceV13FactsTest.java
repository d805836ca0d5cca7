package dev.gmem.model;

import dev.gmem.api.ContentRule;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.MemoryAttributes;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules v13 changed (UPSTREAM.md §2.3), each against the edition {@code inplace}, and each shown to
 * matter: the v8 rule (or a broken one) put into the same edition gives another answer.
 */
class InplaceV13FactsTest {
    private static final Edition V13 = Edition.INPLACE;
    private static final long VALUE = 0x1122334455667788L;

    private static Observation guestRead(Sim sim, int g, long page) {
        return sim.apply(new Operation.GuestRead(Sim.gpa(g, page)));
    }

    // ---- row 1: gmem-only memslots ----

    /** A shared page of a guest_memfd without MMAP, written by the guest, then punched. */
    private static Observation guestReadAfterPunch(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createPages(2, Edition.FLAG_INIT_SHARED);
        sim.bindAll(0, g);
        assertThat(sim.apply(new Operation.GuestWrite(Sim.gpa(g, 0), VALUE))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.PunchHole(g, 0, PAGE))).isEqualTo(OK);
        return guestRead(sim, g, 0);
    }

    @Test
    @DisplayName("v13 2e646bcfcf90 (Always fault from guest_memfd if in-place conversion is enabled): a guest_memfd without MMAP "
            + "still serves shared guest accesses, so a punched page reads 0; v8's rule (userspace_addr) keeps the old value")
    void sharedGuestAccessHitsGuestMemfdWithoutMmap() {
        assertThat(guestReadAfterPunch(V13)).isEqualTo(new Observation.GuestValue(0));
        assertThat(guestReadAfterPunch(Knobs.with(V13, "gmemOnlySlotFlag", Edition.FLAG_MMAP)))
                .isEqualTo(new Observation.GuestValue(VALUE));
        assertThat(guestReadAfterPunch(Edition.INPLACE_V8)).isEqualTo(new Observation.GuestValue(VALUE));
    }

    @Test
    @DisplayName("v13 2e646bcfcf90: a private page written by the guest is the page it reads once shared, without MMAP too")
    void privateThenSharedIsOnePageWithoutMmap() {
        Sim sim = Sim.of(V13);
        int g = sim.createPages(1, 0);
        sim.bindAll(0, g);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
        sim.apply(new Operation.GuestWrite(Sim.gpa(g, 0), VALUE));
        assertThat(sim.convert(g, 0, 1, PageState.SHARED)).isEqualTo(OK);
        assertThat(guestRead(sim, g, 0)).isEqualTo(new Observation.GuestValue(VALUE));

        Sim v8 = Sim.of(Edition.INPLACE_V8);
        int h = v8.createPages(1, 0);
        v8.bindAll(0, h);
        v8.apply(new Operation.GuestWrite(Sim.gpa(h, 0), VALUE));
        v8.convert(h, 0, 1, PageState.SHARED);
        assertThat(guestRead(v8, h, 0)).as("v8: the shared access reads userspace_addr, never written")
                .isEqualTo(new Observation.GuestValue(0));
    }

    // ---- row 2: zeroed once, never by a conversion ----

    private static Expectation hostReadAfterRoundTrip(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(2);
        assertThat(sim.read(g, 0, 2 * PAGE)).as("first touch reads zeros").isEqualTo(Sim.read(2 * PAGE, 0));
        sim.write(g, 0, 2 * PAGE, 0x6d);
        assertThat(sim.convert(g, 0, 2, PageState.PRIVATE)).isEqualTo(OK);
        assertThat(sim.convert(g, 0, 2, PageState.SHARED)).isEqualTo(OK);
        return sim.expect(new Operation.HostRead(g, 0, 2 * PAGE, 0));
    }

    @Test
    @DisplayName("v13 cb0544296a33 (Zero page while getting pfn): a conversion never zeroes, the bytes stay both ways; "
            + "v8's unspecified content allows zeros")
    void conversionNeverZeroes() {
        Observation zeros = Sim.read(2 * PAGE, 0);
        Observation kept = Sim.read(2 * PAGE, 0x6d);
        Expectation v13 = hostReadAfterRoundTrip(V13);
        assertThat(v13.allows(kept)).isTrue();
        assertThat(v13.allows(zeros)).isFalse();
        Expectation v8Rule = hostReadAfterRoundTrip(Knobs.with(V13, "contentRule", ContentRule.UNSPECIFIED));
        assertThat(v8Rule.allows(zeros)).isTrue();
    }

    @Test
    @DisplayName("v13 cb0544296a33: only a punch and the next allocation read zero again, in either state")
    void onlyPunchZeroesAgain() {
        Sim sim = Sim.of(V13);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.write(g, 0, PAGE, 0x42);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        assertThat(guestRead(sim, g, 0)).isEqualTo(new Observation.GuestValue(0x4242424242424242L));
        assertThat(sim.apply(new Operation.PunchHole(g, 0, PAGE))).isEqualTo(OK);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
        assertThat(guestRead(sim, g, 0)).isEqualTo(new Observation.GuestValue(0));
    }

    // ---- row 3: transient EAGAIN ----

    @Test
    @DisplayName("v13 gmem_convert_fault_race.c @3c3006fb1feb: to private may be refused EAGAIN at any page-aligned offset "
            + "inside the range (a vCPU fault holds a folio), nothing changes; v8's rule allows only success")
    void transientEagainInsideTheRange() {
        Sim sim = Sim.of(V13);
        int g = sim.createShared(8);
        Operation.Convert c = Operation.Convert.of(g, 2 * PAGE, 3 * PAGE, PageState.PRIVATE);
        Expectation x = sim.expect(c);
        assertThat(x.example()).isEqualTo(OK);
        for (long page = 2; page < 5; page++) {
            Observation refused = new Observation.Refused(Errno.EAGAIN, page * PAGE);
            assertThat(x.allows(refused)).as("page %d", page).isTrue();
            assertThat(x.isTransient(refused)).isTrue();
        }
        assertThat(x.allows(new Observation.Refused(Errno.EAGAIN, PAGE))).as("before the range").isFalse();
        assertThat(x.allows(new Observation.Refused(Errno.EAGAIN, 5 * PAGE))).as("at its end").isFalse();
        assertThat(x.allows(new Observation.Refused(Errno.EAGAIN, 2 * PAGE + 8))).as("misaligned").isFalse();
        assertThat(x.allows(new Observation.Refused(Errno.EBUSY, 2 * PAGE))).isFalse();
        assertThat(x.isTransient(OK)).isFalse();
        ModelState after = x.next(new Observation.Refused(Errno.EAGAIN, 3 * PAGE));
        for (long page = 0; page < 8; page++) assertThat(after.pageState(g, page)).isEqualTo(PageState.SHARED);

        Sim v8Rule = Sim.of(Knobs.with(V13, "transientRefusals", false));
        int h = v8Rule.createShared(8);
        Expectation v8 = v8Rule.expect(Operation.Convert.of(h, 2 * PAGE, 3 * PAGE, PageState.PRIVATE));
        assertThat(v8.allows(new Observation.Refused(Errno.EAGAIN, 2 * PAGE))).isFalse();
    }

    @Test
    @DisplayName("v13: a conversion still refused after " + Transitions.MAX_TRANSIENT_REFUSALS
            + " retries is a failure; a success starts the count again")
    void transientRefusalsAreBounded() {
        ReferenceModel model = ReferenceModel.of(V13);
        Sim sim = Sim.of(V13);
        int g = sim.createShared(2);
        Operation.Convert c = Operation.Convert.of(g, 0, 2 * PAGE, PageState.PRIVATE);
        Observation refused = new Observation.Refused(Errno.EAGAIN, PAGE);
        ModelState s = sim.state();
        for (int i = 0; i < Transitions.MAX_TRANSIENT_REFUSALS; i++) {
            Expectation x = model.expect(s, c);
            assertThat(x.allows(refused)).as("refusal %d", i + 1).isTrue();
            s = x.next(refused);
        }
        assertThat(model.expect(s, c).allows(refused)).isFalse();
        s = model.expect(s, c).next(OK);
        Operation.Convert back = Operation.Convert.of(g, 0, 2 * PAGE, PageState.SHARED);
        s = model.expect(s, back).next(OK);
        assertThat(model.expect(s, c).allows(refused)).as("after a success").isTrue();
    }

    @Test
    @DisplayName("v13 856852ef2108 (Return early if range already has requested attributes): a range already private is "
            + "never refused; to shared is never refused")
    void noTransientRefusalWithoutWork() {
        Sim sim = Sim.of(V13);
        int g = sim.createPages(2, 0);
        Observation refused = new Observation.Refused(Errno.EAGAIN, 0);
        assertThat(sim.expect(Operation.Convert.of(g, 0, 2 * PAGE, PageState.PRIVATE)).allows(refused)).isFalse();
        assertThat(sim.expect(Operation.Convert.of(g, 0, 2 * PAGE, PageState.SHARED)).allows(refused)).isFalse();
    }

    @Test
    @DisplayName("v13 dcde2f853ff4 (Ensure pages are not in use before conversion): a pin stays the deterministic case, "
            + "EAGAIN at the first pinned page and nowhere else")
    void pinStaysDeterministic() {
        Sim sim = Sim.of(V13);
        int g = sim.createShared(4);
        sim.pin(g, 2, 1);
        Expectation x = sim.expect(Operation.Convert.of(g, 0, 4 * PAGE, PageState.PRIVATE));
        assertThat(x.allows(new Observation.Refused(Errno.EAGAIN, 2 * PAGE))).isTrue();
        assertThat(x.isTransient(new Observation.Refused(Errno.EAGAIN, 2 * PAGE))).isFalse();
        assertThat(x.allows(new Observation.Refused(Errno.EAGAIN, 0))).isFalse();
        assertThat(x.allows(OK)).isFalse();
    }

    @Test
    @DisplayName("v13 gmem_convert_fault_race.c: a guest's request may come back -EAGAIN from the host's call, nothing changes")
    void transientRefusalOfAGuestRequest() {
        Sim sim = Sim.of(V13);
        int g = sim.createShared(2);
        sim.bindAll(0, g);
        Expectation x = sim.expect(new Operation.GuestRequestConversion(Sim.gpa(g, 0), 2 * PAGE, PageState.PRIVATE));
        Observation refused = new Observation.HypercallExit(Sim.gpa(g, 0), 2, MemoryAttributes.PRIVATE, -11);
        assertThat(x.example()).isEqualTo(new Observation.HypercallExit(Sim.gpa(g, 0), 2, MemoryAttributes.PRIVATE, 0));
        assertThat(x.isTransient(refused)).isTrue();
        assertThat(x.next(refused).pageState(g, 0)).isEqualTo(PageState.SHARED);
        assertThat(x.allows(new Observation.HypercallExit(Sim.gpa(g, 0), 2, MemoryAttributes.PRIVATE, -16))).isFalse();
    }

    // ---- rows 4 and 5 ----

    @Test
    @DisplayName("v13 b5ed1ee2a7a0 (Enable INIT_SHARED on guest_memfd for x86 Coco VMs): INIT_SHARED is accepted on a "
            + "SW_PROTECTED VM; without the bit it would be EINVAL")
    void initSharedOnSoftwareProtectedVm() {
        Sim sim = Sim.of(V13);
        int g = sim.createPages(1, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.SHARED);
        Sim without = Sim.of(Knobs.with(V13, "supportedCreateFlags", Edition.FLAG_MMAP));
        assertThat(without.apply(new Operation.Create(0, PAGE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED)))
                .isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("v13 537ec2b15fdd (Let userspace disable per-VM mem attributes): with in-place on, the VM-level call "
            + "refuses PRIVATE (the kernel target cross-checks KVM_CAP_MEMORY_ATTRIBUTES = 0 against it)")
    void vmLevelPrivateIsOff() {
        assertThat(V13.vmLevelPrivate()).isFalse();
        assertThat(Edition.VM_ATTRIBUTES.vmLevelPrivate()).isTrue();
    }
}
