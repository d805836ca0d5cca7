package dev.gmem.model;

import dev.gmem.api.Edition;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.api.outcome.Answer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

/** The rows a program without the model checks carry the choices timing leaves. */
class InterleavingsTest {

    private static ModelState after(ReferenceModel model, Operation... ops) {
        ModelState s = model.initial();
        for (Operation op : ops) {
            Expectation e = model.expect(s, op);
            s = e.next(e.example());
        }
        return s;
    }

    @Test
    void aGuestLoadRacingAHostWriteOfItsBytesIsARowOfAnyBitsItCovers() {
        ReferenceModel mmap = ReferenceModel.of(Edition.GMEM_MMAP);
        ModelState s = after(mmap, new Operation.Create(0, PAGE_SIZE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED),
                Operation.Bind.canonical(0, 0, 0, PAGE_SIZE));
        Set<List<Answer>> rows = Interleavings.outcomes(mmap, s, List.of(
                List.of(new Operation.HostWrite(0, 0, 4, (byte) 0x5a, 0)), List.of(new Operation.GuestRead(GuestLayout.gpa(0, 0)))));
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.get(1)).isInstanceOfSatisfying(Answer.GuestValueOf.class,
                load -> assertThat(load.mask()).as("the 4 bytes the write covers are open").isEqualTo(0xffff_ffff_0000_0000L)));
    }

    @Test
    void aGuestAccessRacingAConversionOfItsPageHasAMismatchExitRow() {
        ReferenceModel attributes = ReferenceModel.of(Edition.VM_ATTRIBUTES);
        ModelState s = after(attributes, new Operation.Create(0, PAGE_SIZE, 0), Operation.Bind.canonical(0, 0, 0, PAGE_SIZE));
        long page = GuestLayout.gpa(0, 0);
        Set<List<Answer>> rows = Interleavings.outcomes(attributes, s, List.of(
                List.of(new Operation.GuestRequestConversion(page, PAGE_SIZE, PageState.PRIVATE)),
                List.of(new Operation.GuestRead(page))));
        assertThat(rows).extracting(row -> row.get(1))
                .contains(new Answer.Exactly(new Observation.MemoryFaultExit(page, PAGE_SIZE, false)))
                .doesNotContain(new Answer.Exactly(new Observation.MemoryFaultExit(page, PAGE_SIZE, true)));
    }
}
