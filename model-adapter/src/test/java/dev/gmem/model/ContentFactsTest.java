package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

/** CONTRACT.md "content across conversion" row; KERNEL-ABI.md §3. */
class ContentFactsTest {

    @Test
    @DisplayName("§3 rfc-v2: content is preserved both ways on a software-protected VM")
    void rfcPreservesContent() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(2);
        sim.bindAll(0, g);
        sim.write(g, 0, 2 * PAGE, 0x5c);
        sim.convert(g, 0, 2, PageState.PRIVATE);
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 1)))).isEqualTo(new Observation.GuestValue(0x5c5c5c5c5c5c5c5cL));
        sim.apply(new Operation.GuestWrite(Sim.gpa(g, 1), 0x0102030405060708L));
        sim.convert(g, 0, 2, PageState.SHARED);
        assertThat(sim.read(g, PAGE, 9)).isEqualTo(new Observation.Read(
                Bytes.of(new byte[] {8, 7, 6, 5, 4, 3, 2, 1, 0x5c})));
    }

    @Test
    @DisplayName("§3 inplace-v8: KVM promises nothing about content across a conversion: any bytes may be read on converted pages")
    void v8ContentUnspecified() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        int g = sim.createShared(3);
        sim.write(g, 0, 3 * PAGE, 0x7e);
        sim.convert(g, 1, 1, PageState.PRIVATE);
        sim.convert(g, 1, 1, PageState.SHARED);
        Expectation x = sim.expect(new Operation.HostRead(g, 0, 3 * PAGE, 0));
        Bytes other = Bytes.fill(PAGE, (byte) 0x7e).concat(Bytes.fill(PAGE, (byte) 0x13)).concat(Bytes.fill(PAGE, (byte) 0x7e));
        Bytes same = Bytes.fill(3 * PAGE, (byte) 0x7e);
        Bytes neighbourChanged = Bytes.fill(PAGE, (byte) 0x13).concat(Bytes.fill(2 * PAGE, (byte) 0x7e));
        assertThat(x.allows(new Observation.Read(other))).isTrue();
        assertThat(x.allows(new Observation.Read(same))).isTrue();
        assertThat(x.allows(new Observation.Read(neighbourChanged))).as("page 0 was not converted").isFalse();
        assertThat(x.describe()).contains("any content on pages 1..1");
    }

    @Test
    @DisplayName("lead's semantics: unspecified content is learned from what was read, and known again after a write or a punch")
    void v8UnknownContentIsLearned() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        int g = sim.createShared(2);
        sim.convert(g, 0, 2, PageState.PRIVATE);
        sim.convert(g, 0, 2, PageState.SHARED);
        Expectation x = sim.expect(new Operation.HostRead(g, 0, PAGE, 0));
        Observation seen = new Observation.Read(Bytes.fill(PAGE, (byte) 0x44));
        ModelState after = x.next(seen);
        ReferenceModel model = ReferenceModel.of(Edition.INPLACE_V8);
        assertThat(model.expect(after, new Operation.HostRead(g, 0, PAGE, 0)).example()).isEqualTo(seen);
        assertThat(model.expect(after, new Operation.HostRead(g, 0, PAGE, 0)).allows(Sim.read(PAGE, 0x45))).isFalse();
        assertThat(sim.apply(new Operation.PunchHole(g, PAGE, PAGE))).isEqualTo(OK);
        assertThat(sim.expect(new Operation.HostRead(g, PAGE, PAGE, 0)).describe()).isEqualTo("Read of 4096 bytes [4096x00]");
    }

    @Test
    @DisplayName("lead's semantics: a guest load of unspecified bytes allows any value there, and next() learns it")
    void v8UnknownGuestValue() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        Expectation x = sim.expect(new Operation.GuestRead(Sim.gpa(g, 0)));
        assertThat(x.allows(new Observation.GuestValue(0xdeadbeefL))).isTrue();
        ModelState after = x.next(new Observation.GuestValue(0xdeadbeefL));
        Expectation again = ReferenceModel.of(Edition.INPLACE_V8).expect(after, new Operation.GuestRead(Sim.gpa(g, 0)));
        assertThat(again.example()).isEqualTo(new Observation.GuestValue(0xdeadbeefL));
        assertThat(again.allows(new Observation.GuestValue(0))).isFalse();
    }

    @Test
    @DisplayName("Expectation contract: next() refuses an observation the contract does not allow")
    void nextRefusesDisallowed() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(1);
        Expectation x = sim.expect(new Operation.HostRead(g, 0, 8, 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> x.next(Sim.read(8, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not allowed");
    }

    @Test
    @DisplayName("§3 vm-attributes: two different pages: a guest private write is invisible to the host view, and shared content is not carried into private")
    void vmAttributesSeparatePages() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.write(g, 0, PAGE, 0x21);
        long gpa = Sim.gpa(g, 0);
        assertThat(sim.apply(new Operation.GuestRead(gpa))).isEqualTo(new Observation.GuestValue(0x2121212121212121L));
        sim.convert(g, 0, 1, PageState.PRIVATE);
        assertThat(sim.apply(new Operation.GuestRead(gpa))).as("private page is guest_memfd's").isEqualTo(new Observation.GuestValue(0));
        sim.apply(new Operation.GuestWrite(gpa, 0x99));
        assertThat(sim.read(g, 0, 8)).isEqualTo(Sim.read(8, 0x21));
        sim.convert(g, 0, 1, PageState.SHARED);
        assertThat(sim.apply(new Operation.GuestRead(gpa))).isEqualTo(new Observation.GuestValue(0x2121212121212121L));
    }

    @Test
    @DisplayName("CONTRACT PUNCH (vm-attributes): a punch zeroes the guest's private view, the shared buffer is untouched")
    void vmAttributesPunchHitsPrivateViewOnly() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.write(g, 0, PAGE, 0x21);
        long gpa = Sim.gpa(g, 0);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        sim.apply(new Operation.GuestWrite(gpa, 0x99));
        sim.apply(new Operation.PunchHole(g, 0, PAGE));
        assertThat(sim.apply(new Operation.GuestRead(gpa))).isEqualTo(new Observation.GuestValue(0));
        assertThat(sim.read(g, 0, 8)).isEqualTo(Sim.read(8, 0x21));
    }

    @Test
    @DisplayName("CONTRACT PUNCH (in place): a punched page reads zero for the guest too")
    void inPlacePunchZeroesGuestView() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(1);
        sim.bindAll(0, g);
        sim.apply(new Operation.GuestWrite(Sim.gpa(g, 0), -1));
        sim.convert(g, 0, 1, PageState.PRIVATE);
        sim.apply(new Operation.PunchHole(g, 0, PAGE));
        assertThat(sim.apply(new Operation.GuestRead(Sim.gpa(g, 0)))).isEqualTo(new Observation.GuestValue(0));
    }
}
