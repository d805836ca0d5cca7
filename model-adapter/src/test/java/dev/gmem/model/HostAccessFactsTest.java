package dev.gmem.model;

import dev.gmem.api.Bytes;
import dev.gmem.api.Edition;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

/** CONTRACT.md HOST and PUNCH; KERNEL-ABI.md §3 "A host fault on a private page → SIGBUS". */
class HostAccessFactsTest {

    static List<Edition> inPlace() {
        return Edition.where(Edition::convertsInPlace);
    }

    static List<Edition> converting() {
        return Edition.where(Edition::converts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inPlace")
    @DisplayName("§3: a host access to a private page faults, at max(offset, first private page)")
    void privatePageFaultsAtFirstPrivatePage(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        sim.convert(g, 2, 1, PageState.PRIVATE);
        assertThat(sim.read(g, 100, 3 * PAGE)).isEqualTo(new Observation.HostFault(2 * PAGE));
        assertThat(sim.read(g, 2 * PAGE + 8, 8)).isEqualTo(new Observation.HostFault(2 * PAGE + 8));
        assertThat(sim.read(g, 3 * PAGE, PAGE)).isEqualTo(Sim.read(PAGE, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inPlace")
    @DisplayName("lead's semantics: a host write that faults changes nothing (the adapter probes before writing)")
    void faultingWriteChangesNothing(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(2);
        sim.convert(g, 1, 1, PageState.PRIVATE);
        assertThat(sim.write(g, 0, 2 * PAGE, 0x33)).isEqualTo(new Observation.HostFault(PAGE));
        assertThat(sim.read(g, 0, PAGE)).isEqualTo(Sim.read(PAGE, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converting")
    @DisplayName("CONTRACT HOST: faults never change state")
    void faultsNeverChangeState(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(2);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        ModelState before = sim.state();
        Expectation x = sim.expect(new Operation.HostRead(g, 0, 8 * PAGE, 0));
        assertThat(x.example()).isInstanceOf(Observation.HostFault.class);
        assertThat(x.next(x.example())).isSameAs(before);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
        assertThat(sim.stateOf(g, 1)).isEqualTo(PageState.SHARED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converting")
    @DisplayName("CONTRACT PUNCH (test_truncate_should_not_change_mappability): punching never changes state")
    void punchNeverChangesState(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        sim.convert(g, 1, 2, PageState.PRIVATE);
        assertThat(sim.apply(new Operation.PunchHole(g, 0, 4 * PAGE))).isEqualTo(OK);
        assertThat(List.of(sim.stateOf(g, 0), sim.stateOf(g, 1), sim.stateOf(g, 2), sim.stateOf(g, 3)))
                .containsExactly(PageState.SHARED, PageState.PRIVATE, PageState.PRIVATE, PageState.SHARED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converting")
    @DisplayName("lead's semantics: views 0 and 1 are two mappings of the same content; a conversion to private removes both")
    void twoViewsSameContent(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(2);
        assertThat(sim.apply(new Operation.HostWrite(g, 10, 20, (byte) 9, 1))).isEqualTo(OK);
        assertThat(sim.apply(new Operation.HostRead(g, 0, 40, 0)))
                .isEqualTo(new Observation.Read(Bytes.zeros(10).concat(Bytes.fill(20, (byte) 9)).concat(Bytes.zeros(10))));
        sim.convert(g, 0, 1, PageState.PRIVATE);
        Observation view0 = sim.apply(new Operation.HostRead(g, 0, 8, 0));
        Observation view1 = sim.apply(new Operation.HostRead(g, 0, 8, 1));
        assertThat(view1).isEqualTo(view0);
    }

    @Test
    @DisplayName("§3 vm-attributes: the host view is the separate shared buffer: it never faults inside the file, even on a private GPA")
    void vmAttributesHostNeverFaultsInside() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(2);
        sim.write(g, 0, 2 * PAGE, 0x61);
        sim.convert(g, 0, 2, PageState.PRIVATE);
        assertThat(sim.read(g, 0, 2 * PAGE)).isEqualTo(Sim.read(2 * PAGE, 0x61));
        assertThat(sim.pin(g, 0, 2)).isEqualTo(new Observation.Pinned(0));
        assertThat(sim.read(g, PAGE, 2 * PAGE)).isEqualTo(new Observation.HostFault(2 * PAGE));
    }

    @Test
    @DisplayName("§3 rfc-v2: converting back to shared restores host access")
    void convertingBackRestoresAccess() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(1);
        sim.convert(g, 0, 1, PageState.PRIVATE);
        assertThat(sim.read(g, 0, 8)).isInstanceOf(Observation.HostFault.class);
        sim.convert(g, 0, 1, PageState.SHARED);
        assertThat(sim.read(g, 0, 8)).isEqualTo(Sim.read(8, 0));
    }

    @Test
    @DisplayName("lead's semantics: host accesses of length 0 answer nothing read / ok, even where a page would fault")
    void emptyAccesses() {
        Sim sim = Sim.of(Edition.INPLACE_V8);
        int g = sim.createPages(1, Edition.FLAG_MMAP);
        assertThat(sim.read(g, 0, 0)).isEqualTo(new Observation.Read(Bytes.EMPTY));
        assertThat(sim.write(g, 0, 0, 1)).isEqualTo(OK);
    }
}
