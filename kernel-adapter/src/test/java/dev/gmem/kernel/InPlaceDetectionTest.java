package dev.gmem.kernel;

import dev.gmem.api.Errno;
import dev.gmem.api.KernelFacts;
import dev.gmem.api.KernelFacts.Answer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** UPSTREAM.md §2.3 row 10 and §3: in-place conversion and the release-dependent answers, found by behaviour. */
class InPlaceDetectionTest {

    @Test
    @DisplayName("§2.3 row 10: the ioctl decides; a parameter or capability that disagrees is reported, never followed")
    void theIoctlDecidesTheOthersAreCrossChecked() {
        InPlaceSignals agree = new InPlaceSignals("Y", 8, Errnos.EINVAL, null, Errnos.EINVAL);
        assertThat(agree.on()).isTrue();
        assertThat(agree.disagreements()).isEmpty();
        assertThat(agree.describe()).contains("on").contains("the signals agree");

        InPlaceSignals moved = new InPlaceSignals("Y", 0, Errnos.EINVAL, null, Errnos.EINVAL);
        assertThat(moved.on()).as("a renumbered capability does not break detection").isTrue();
        assertThat(moved.disagreements()).singleElement().asString().contains("the number may have moved");

        InPlaceSignals otherCap = new InPlaceSignals(null, 0x3f, Errnos.ENOTTY, null, -1);
        assertThat(otherCap.on()).isFalse();
        assertThat(otherCap.disagreements()).singleElement().asString().contains("another capability");

        InPlaceSignals paramOnly = new InPlaceSignals("Y", 0, Errnos.ENOTTY, null, 0);
        assertThat(paramOnly.on()).isFalse();
        assertThat(paramOnly.disagreements()).singleElement().asString()
                .isEqualTo("kvm.gmem_in_place_conversion = Y but KVM_SET_MEMORY_ATTRIBUTES2 is absent (ENOTTY on a guest_memfd)");

        InPlaceSignals off = new InPlaceSignals("N", 0, Errnos.ENOTTY, null, 0);
        assertThat(off.on()).isFalse();
        assertThat(off.disagreements()).isEmpty();
    }

    @Test
    @DisplayName("§2.3 row 4 (537ec2b15fdd): VM-level PRIVATE accepted while in-place is on is a disagreement")
    void vmLevelPrivateWhileInPlaceIsReported() {
        InPlaceSignals s = new InPlaceSignals("Y", 8, Errnos.EINVAL, null, 0);
        assertThat(s.disagreements()).singleElement().asString().contains("accepted though in-place conversion is on");
    }

    @Test
    @DisplayName("§3: EEXIST on an overlapping bind means 7.2 or later; EINVAL before 7.2, with the release for 6.19's change")
    void factsFromTheBindAnswers() {
        KernelFacts current = KernelFactsProbe.facts(new KernelFactsProbe.Answers(Errnos.EEXIST, Errnos.EINVAL, null), "7.3.4");
        assertThat(current.generation()).isEqualTo("7.2 or later");
        assertThat(current.bindOverlap()).containsExactly(Errno.EEXIST);
        assertThat(current.hugeBindOffset()).isEqualTo(Answer.REJECTED);
        assertThat(current.flagsOnlyGmemClear()).isEqualTo(Answer.REJECTED);
        assertThat(current.decidedBy()).contains("bind overlap answered EEXIST");

        KernelFacts k618 = KernelFactsProbe.facts(new KernelFactsProbe.Answers(Errnos.EINVAL, 0, null), "6.18.44-fc");
        assertThat(k618.generation()).isEqualTo("before 7.2");
        assertThat(k618.bindOverlap()).isEqualTo(Set.of(Errno.EINVAL));
        assertThat(k618.hugeBindOffset()).isEqualTo(Answer.ACCEPTED);
        assertThat(k618.flagsOnlyGmemClear()).as("6.18 < 6.19").isEqualTo(Answer.ACCEPTED);
        assertThat(KernelFactsProbe.facts(new KernelFactsProbe.Answers(Errnos.EINVAL, Errnos.EINVAL, null), "7.1.0")
                .flagsOnlyGmemClear()).isEqualTo(Answer.REJECTED);

        KernelFacts none = KernelFactsProbe.facts(new KernelFactsProbe.Answers(-1, -1, "no VM"), "weird");
        assertThat(none.bindOverlap()).containsExactlyInAnyOrder(Errno.EINVAL, Errno.EEXIST);
        assertThat(none.hugeBindOffset()).isEqualTo(Answer.EITHER);
        assertThat(none.flagsOnlyGmemClear()).isEqualTo(Answer.EITHER);
        assertThat(none.decidedBy()).contains("not probed: no VM");
    }

    @Test
    @DisplayName("on this kernel, for real: in-place conversion absent or on by behaviour, the bind answers probed, "
            + "and on 6.18 overlap EINVAL, huge offset accepted (KERNEL-ABI.md §4, probed on 6.18.44)")
    void thisKernel() {
        {
            KernelProfile p = ((KernelTarget) KvmAvailable.target()).profile();
            String release = p.release();
            assertThat(p.inPlace().probe()).doesNotStartWith("not asked").doesNotStartWith("unclear");
            assertThat(p.kernelFacts().decidedBy()).contains("bind overlap answered");
            assertThat(p.kernelFacts().bindOverlap()).hasSize(1);
            if (release.startsWith("6.18.")) {
                assertThat(p.inPlace().on()).isFalse();
                assertThat(p.inPlace().parameter()).isNull();
                assertThat(p.inPlace().disagreements()).isEmpty();
                assertThat(p.kernelFacts().bindOverlap()).containsExactly(Errno.EINVAL);
                assertThat(p.kernelFacts().hugeBindOffset()).isEqualTo(Answer.ACCEPTED);
                assertThat(p.kernelFacts().generation()).isEqualTo("before 7.2");
            }
            System.out.println(release + ": " + p.inPlace().describe() + " | " + p.kernelFacts().summary());
        }
    }
}
