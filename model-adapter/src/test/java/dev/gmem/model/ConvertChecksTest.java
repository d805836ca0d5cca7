package dev.gmem.model;

import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.Operation.Convert;
import dev.gmem.api.Operation.Convert.Raw;
import dev.gmem.api.PageState;
import dev.gmem.api.VmType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.gmem.model.Sim.OK;
import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** KERNEL-ABI.md §3: each conversion call's validations, in the kernel's order. */
class ConvertChecksTest {
    private static final Observation EINVAL = failed(Errno.EINVAL);

    static List<Edition> converting() {
        return Edition.where(Edition::converts);
    }

    static List<Edition> attributes2() {
        return Edition.where(e -> e.conversionCall() == ConversionCall.GMEM_ATTRIBUTES2);
    }

    private static Observation convert(Sim sim, int g, long offset, long size, Raw raw) {
        return sim.apply(new Convert(g, offset, size, PageState.PRIVATE, raw));
    }

    /** Asserts that no page of {@code g} changed state. */
    private static void assertAllShared(Sim sim, int g) {
        long pages = sim.state().gmem(g).orElseThrow().pages();
        for (long p = 0; p < pages; p++) assertThat(sim.stateOf(g, p)).as("page %d", p).isEqualTo(PageState.SHARED);
    }

    // ---- rfc-v2-convert ----

    @Test
    @DisplayName("§3 rfc-v2: input error_offset != 0 -> EINVAL, checked before size 0 (so even with size 0)")
    void rfcInputErrorOffsetIsEinvalEvenWithSizeZero() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, PAGE, new Raw(8, 0, 0, 0))).isEqualTo(EINVAL);
        assertThat(convert(sim, g, 0, 0, new Raw(8, 0, 0, 0))).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @Test
    @DisplayName("§3 rfc-v2: size 0 -> success, no-op, even when misaligned or past the end")
    void rfcSizeZeroIsNoopEvenMisaligned() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(4);
        Expectation x = sim.expect(new Convert(g, 3, 0, PageState.PRIVATE, Raw.NONE));
        assertThat(x.example()).isEqualTo(OK);
        assertThat(x.events()).contains(ModelEvent.CONVERT_NOOP);
        assertThat(convert(sim, g, 3, 0, Raw.NONE)).isEqualTo(OK);
        assertThat(convert(sim, g, 100 * PAGE, 0, Raw.NONE)).isEqualTo(OK);
        assertAllShared(sim, g);
    }

    @Test
    @DisplayName("§3 rfc-v2: overflow of offset + size -> EINVAL")
    void rfcOverflowIsEinval() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, -PAGE, 2 * PAGE, Raw.NONE)).isEqualTo(EINVAL);
    }

    @Test
    @DisplayName("§3 rfc-v2: a range beyond the file size -> EINVAL, no page changes")
    void rfcBeyondFileIsEinval() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 2 * PAGE, 3 * PAGE, Raw.NONE)).isEqualTo(EINVAL);
        assertThat(convert(sim, g, 4 * PAGE, PAGE, Raw.NONE)).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @Test
    @DisplayName("§3 rfc-v2: offset or size not page-aligned -> EINVAL")
    void rfcMisalignedIsEinval() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 1, PAGE, Raw.NONE)).isEqualTo(EINVAL);
        assertThat(convert(sim, g, 0, PAGE + 1, Raw.NONE)).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @Test
    @DisplayName("§3 rfc-v2: the reserved words and flags of the request are not validated")
    void rfcIgnoresFlagsAndReserved() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, PAGE, new Raw(0, 1, 0, 1))).isEqualTo(OK);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
    }

    // ---- inplace-v8 and pending ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes2")
    @DisplayName("§3 inplace-v8: flags != 0 -> EINVAL")
    void v8FlagsIsEinval(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, PAGE, new Raw(0, 1, 0, 0))).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes2")
    @DisplayName("§3 inplace-v8: a nonzero reserved word -> EINVAL")
    void v8ReservedIsEinval(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, PAGE, new Raw(0, 0, 0, 1))).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes2")
    @DisplayName("§3 inplace-v8: attributes other than PRIVATE -> EINVAL")
    void v8AttributesIsEinval(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, PAGE, new Raw(0, 0, 1L << 4, 0))).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @Test
    @DisplayName("§3 inplace-v8: a VM without private memory -> EINVAL (the VM_HAS_PRIVATE_MEMORY check reads the privateMemory knob)")
    void v8DefaultVmIsEinval() {
        Edition e = Edition.INPLACE_V8;
        Edition defaultVm = new Edition(e.name(), e.source(), VmType.DEFAULT, false, e.conversionCall(),
                e.perGpa(), e.guestRequestsConversion(), e.supportedCreateFlags(), e.mmapFlag(), e.flagsNeedingMmap(),
                e.initialState(), e.initialFlipFlag(), e.convertChecks(), e.contentRule(), e.hostViewIsSeparate(),
                e.referenceRule(), e.punchPastEndSucceeds(), e.kernelFacts(), e.gmemOnlySlotFlag(), e.transientRefusals(),
                e.vmLevelPrivate());
        Sim sim = Sim.of(defaultVm);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, PAGE, Raw.NONE)).isEqualTo(EINVAL);
        Sim protectedVm = Sim.of(e);
        int h = protectedVm.createShared(4);
        assertThat(convert(protectedVm, h, 0, PAGE, Raw.NONE)).isEqualTo(OK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes2")
    @DisplayName("§3 inplace-v8: size 0 -> EINVAL")
    void v8SizeZeroIsEinval(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, 0, Raw.NONE)).isEqualTo(EINVAL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes2")
    @DisplayName("§3 inplace-v8: overflow -> EINVAL")
    void v8OverflowIsEinval(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, -PAGE, 2 * PAGE, Raw.NONE)).isEqualTo(EINVAL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes2")
    @DisplayName("§3 inplace-v8: misaligned -> EINVAL")
    void v8MisalignedIsEinval(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, PAGE / 2, PAGE, Raw.NONE)).isEqualTo(EINVAL);
        assertThat(convert(sim, g, 0, PAGE / 2, Raw.NONE)).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes2")
    @DisplayName("§3 inplace-v8: offset >= file size or end beyond it -> EINVAL")
    void v8OutsideFileIsEinval(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 4 * PAGE, PAGE, Raw.NONE)).isEqualTo(EINVAL);
        assertThat(convert(sim, g, 3 * PAGE, 2 * PAGE, Raw.NONE)).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attributes2")
    @DisplayName("§3 inplace-v8: input error_offset is not checked")
    void v8IgnoresInputErrorOffset(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, PAGE, new Raw(0x1234, 0, 0, 0))).isEqualTo(OK);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
    }

    // ---- vm-attributes ----

    @Test
    @DisplayName("§3 vm-attributes: flags, unknown attribute bits, size 0, overflow, misalignment -> EINVAL")
    void vmAttributesChecks() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(4);
        assertThat(convert(sim, g, 0, PAGE, new Raw(0, 1, 0, 0))).as("flags").isEqualTo(EINVAL);
        assertThat(convert(sim, g, 0, PAGE, new Raw(0, 0, 1, 0))).as("attributes").isEqualTo(EINVAL);
        assertThat(convert(sim, g, 0, 0, Raw.NONE)).as("size 0").isEqualTo(EINVAL);
        assertThat(convert(sim, g, 0, -PAGE, Raw.NONE)).as("overflow").isEqualTo(EINVAL);
        assertThat(convert(sim, g, 8, PAGE, Raw.NONE)).as("misaligned").isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @Test
    @DisplayName("§1 vm-attributes: attributes are per GPA on the VM: a range past the guest_memfd's end is not checked against it")
    void vmAttributesDoNotCheckTheFile() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(1);
        assertThat(convert(sim, g, 0, 8 * PAGE, Raw.NONE)).isEqualTo(OK);
        assertThat(sim.stateOf(g, 0)).isEqualTo(PageState.PRIVATE);
    }

    @Test
    @DisplayName("lead's semantics: vm-attributes converts on the VM fd: once VM 0 is closed -> EBADF")
    void vmAttributesNeedTheVm() {
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        int g = sim.createShared(1);
        sim.apply(new Operation.CloseVm(0));
        assertThat(convert(sim, g, 0, PAGE, Raw.NONE)).isEqualTo(failed(Errno.EBADF));
    }

    // ---- every converting edition ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("converting")
    @DisplayName("CONTRACT CONV(4): converting a range to the state it already has succeeds")
    void convertingToSameStateSucceeds(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(4);
        assertThat(sim.convert(g, 0, 4, PageState.SHARED)).isEqualTo(OK);
        assertThat(sim.convert(g, 1, 2, PageState.PRIVATE)).isEqualTo(OK);
        assertThat(sim.convert(g, 0, 4, PageState.PRIVATE)).isEqualTo(OK);
        for (long p = 0; p < 4; p++) assertThat(sim.stateOf(g, p)).isEqualTo(PageState.PRIVATE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converting")
    @DisplayName("CONTRACT CONV(1): after convert(r, PRIVATE) exactly the pages of r are private, neighbours untouched")
    void conversionTouchesOnlyItsRange(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(5);
        assertThat(sim.convert(g, 1, 2, PageState.PRIVATE)).isEqualTo(OK);
        assertThat(List.of(sim.stateOf(g, 0), sim.stateOf(g, 1), sim.stateOf(g, 2), sim.stateOf(g, 3), sim.stateOf(g, 4)))
                .containsExactly(PageState.SHARED, PageState.PRIVATE, PageState.PRIVATE, PageState.SHARED, PageState.SHARED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converting")
    @DisplayName("PageState javadoc: PENDING_PRIVATE cannot be asked for -> EINVAL")
    void pendingIsNotRequestable(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(2);
        assertThat(sim.convert(g, 0, 1, PageState.PENDING_PRIVATE)).isEqualTo(EINVAL);
        assertAllShared(sim, g);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converting")
    @DisplayName("lead's semantics: converting a closed or unknown guest_memfd -> EBADF")
    void convertingClosedIsEbadf(Edition e) {
        Sim sim = Sim.of(e);
        int g = sim.createShared(2);
        sim.apply(new Operation.Close(g));
        assertThat(sim.convert(g, 0, 1, PageState.PRIVATE)).isEqualTo(failed(Errno.EBADF));
        assertThat(sim.convert(7, 0, 1, PageState.PRIVATE)).isEqualTo(failed(Errno.EBADF));
    }

    @Test
    @DisplayName("knobs, not names: an edition whose conversionCall is NONE answers Unsupported")
    void conversionCallKnobDecides() {
        assertThat(Edition.GMEM_MMAP.conversionCall()).isEqualTo(ConversionCall.NONE);
        Sim sim = Sim.of(Edition.GMEM_MMAP);
        int g = sim.createShared(1);
        assertThat(sim.convert(g, 0, 1, PageState.SHARED)).isInstanceOf(Observation.Unsupported.class);
    }
}
