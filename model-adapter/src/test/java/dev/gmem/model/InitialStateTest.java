package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.gmem.model.Sim.PAGE;
import static dev.gmem.model.Sim.failed;
import static org.assertj.core.api.Assertions.assertThat;

/** CONTRACT.md "initial state" row, KERNEL-ABI.md §3-4: each page's state at creation, per flag. */
class InitialStateTest {

    private static PageState initial(Edition e, long flags) {
        Sim sim = Sim.of(e);
        int g = sim.createPages(2, flags);
        assertThat(sim.stateOf(g, 1)).isEqualTo(sim.stateOf(g, 0));
        return sim.stateOf(g, 0);
    }

    @Test
    @DisplayName("§4 gmem-mmap: SHARED with INIT_SHARED, PRIVATE without (fixed)")
    void gmemMmap() {
        assertThat(initial(Edition.GMEM_MMAP, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED)).isEqualTo(PageState.SHARED);
        assertThat(initial(Edition.GMEM_MMAP, Edition.FLAG_INIT_SHARED)).isEqualTo(PageState.SHARED);
        assertThat(initial(Edition.GMEM_MMAP, Edition.FLAG_MMAP)).isEqualTo(PageState.PRIVATE);
        assertThat(initial(Edition.GMEM_MMAP, 0)).isEqualTo(PageState.PRIVATE);
    }

    @Test
    @DisplayName("§3 vm-attributes: every GPA starts SHARED (attribute 0); guest_memfd takes no flags")
    void vmAttributes() {
        assertThat(initial(Edition.VM_ATTRIBUTES, 0)).isEqualTo(PageState.SHARED);
        Sim sim = Sim.of(Edition.VM_ATTRIBUTES);
        assertThat(sim.apply(new Operation.Create(0, PAGE, 1))).isEqualTo(failed(Errno.EINVAL));
    }

    @Test
    @DisplayName("§3 rfc-v2: pages start SHARED unless INIT_PRIVATE")
    void rfcV2() {
        assertThat(initial(Edition.RFC_V2_CONVERT, Edition.RFC_FLAG_SUPPORT_SHARED)).isEqualTo(PageState.SHARED);
        assertThat(initial(Edition.RFC_V2_CONVERT, 0)).isEqualTo(PageState.SHARED);
        assertThat(initial(Edition.RFC_V2_CONVERT, Edition.RFC_FLAG_SUPPORT_SHARED | Edition.RFC_FLAG_INIT_PRIVATE))
                .isEqualTo(PageState.PRIVATE);
    }

    @Test
    @DisplayName("§2 rfc-v2: INIT_PRIVATE is valid only with SUPPORT_SHARED -> EINVAL alone")
    void rfcV2InitPrivateNeedsSupportShared() {
        Sim sim = Sim.of(Edition.RFC_V2_CONVERT);
        assertThat(sim.apply(new Operation.Create(0, PAGE, Edition.RFC_FLAG_INIT_PRIVATE))).isEqualTo(failed(Errno.EINVAL));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"inplace-v8", "pending"})
    @DisplayName("§3 inplace-v8 (and the pending design): pages start PRIVATE unless INIT_SHARED")
    void inplaceAndPending(String name) {
        Edition e = Edition.byName(name).orElseThrow();
        assertThat(initial(e, Edition.FLAG_MMAP)).isEqualTo(PageState.PRIVATE);
        assertThat(initial(e, 0)).isEqualTo(PageState.PRIVATE);
        assertThat(initial(e, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED)).isEqualTo(PageState.SHARED);
    }

    @Test
    @DisplayName("lead's semantics: a fresh guest_memfd reads zero")
    void freshFileReadsZero() {
        for (Edition e : Edition.all()) {
            Sim sim = Sim.of(e);
            int g = sim.createShared(2);
            assertThat(sim.read(g, 100, 2 * PAGE - 100)).as(e.name()).isEqualTo(Sim.read(2 * PAGE - 100, 0));
        }
    }
}
