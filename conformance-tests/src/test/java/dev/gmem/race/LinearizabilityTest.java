package dev.gmem.race;

import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.GuestLayout;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation;
import dev.gmem.api.PageState;
import dev.gmem.model.Expectation;
import dev.gmem.model.ModelState;
import dev.gmem.model.ReferenceModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gmem.api.GuestLayout.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

/** Hand-made histories with a known answer. */
class LinearizabilityTest {
    private static final ReferenceModel V8 = ReferenceModel.of(Edition.INPLACE_V8);
    private static final Operation.Convert TO_PRIVATE = Operation.Convert.of(0, 0, PAGE_SIZE, PageState.PRIVATE);
    private static final Operation.Pin PIN = new Operation.Pin(0, 0, PAGE_SIZE);
    private static final Observation OK = Observation.Ok.INSTANCE;

    /** The model's state after {@code ops}, each answered as the model answers. */
    static ModelState after(ReferenceModel model, Operation... ops) {
        ModelState s = model.initial();
        for (Operation op : ops) {
            Expectation e = model.expect(s, op);
            s = e.next(e.example());
        }
        return s;
    }

    private static ModelState twoSharedPages() {
        return after(V8, new Operation.Create(0, 2 * PAGE_SIZE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED),
                Operation.Bind.canonical(0, 0, 0, 2 * PAGE_SIZE));
    }

    private static Call call(int thread, Operation op, Observation o, long from, long to) {
        return new Call(thread, 0, op, o, from, to);
    }

    @Test
    void aConversionAndAPinThatBothSucceedAtOnceAreNotLinearizable() {
        List<Call> h = List.of(call(0, TO_PRIVATE, OK, 0, 10), call(1, PIN, new Observation.Pinned(0), 1, 9));
        Verdict v = Linearizability.check(V8, twoSharedPages(), h);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.NOT_LINEARIZABLE);
        assertThat(v.stuck()).isNotEmpty();
    }

    @Test
    void aConversionRefusedAtThePinnedPageIsLinearizable() {
        List<Call> h = List.of(call(0, TO_PRIVATE, new Observation.Refused(Errno.EAGAIN, 0), 0, 10),
                call(1, PIN, new Observation.Pinned(0), 1, 9));
        assertThat(Linearizability.check(V8, twoSharedPages(), h).linearizable()).isTrue();
    }

    @Test
    void racingPinsMayBeNumberedInEitherOrder() {
        // thread 0 pins page 0, thread 1 page 1, at once; the adapter numbered thread 1's pin first.
        // Unpinning page 0's pin makes page 0 convertible again, whichever number the model gave it.
        Operation.Pin page1 = new Operation.Pin(0, PAGE_SIZE, PAGE_SIZE);
        Operation.Convert page0ToPrivate = Operation.Convert.of(0, 0, PAGE_SIZE, PageState.PRIVATE);
        List<Call> h = List.of(
                new Call(0, 0, PIN, new Observation.Pinned(1), 0, 10),
                new Call(0, 1, new Operation.Unpin(1), OK, 11, 12),
                new Call(0, 2, page0ToPrivate, OK, 13, 14),
                new Call(1, 0, page1, new Observation.Pinned(0), 1, 9),
                new Call(1, 1, Operation.Convert.of(0, PAGE_SIZE, PAGE_SIZE, PageState.PRIVATE),
                        new Observation.Refused(Errno.EAGAIN, PAGE_SIZE), 15, 16));
        assertThat(Linearizability.check(V8, twoSharedPages(), h).linearizable()).isTrue();
        // numbered after the fact does not mean anything goes: the unpinned page is the wrong one
        List<Call> wrong = List.of(
                new Call(0, 0, PIN, new Observation.Pinned(1), 0, 10),
                new Call(0, 1, new Operation.Unpin(1), OK, 11, 12),
                new Call(0, 2, page0ToPrivate, new Observation.Refused(Errno.EAGAIN, 0), 13, 14),
                new Call(1, 0, page1, new Observation.Pinned(0), 1, 9));
        assertThat(Linearizability.check(V8, twoSharedPages(), wrong).outcome()).isEqualTo(Verdict.Outcome.NOT_LINEARIZABLE);
    }

    @Test
    void aReadRacingAWriteOfTheSameBytesMayBeTornButOnlyWhileTheyOverlap() {
        Operation.HostWrite write = new Operation.HostWrite(0, 0, 16, (byte) 7, 0);
        Operation.HostRead read = new Operation.HostRead(0, 0, 16, 0);
        Observation torn = new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 7).concat(dev.gmem.api.Bytes.zeros(8)));
        assertThat(Linearizability.check(V8, twoSharedPages(),
                List.of(call(0, write, OK, 0, 10), call(1, read, torn, 2, 8))).linearizable()).isTrue();
        assertThat(Linearizability.check(V8, twoSharedPages(),
                List.of(call(0, write, OK, 0, 10), call(1, read, torn, 12, 18))).linearizable()).isFalse();
        Observation foreign = new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 9).concat(dev.gmem.api.Bytes.zeros(8)));
        assertThat(Linearizability.check(V8, twoSharedPages(),
                List.of(call(0, write, OK, 0, 10), call(1, read, foreign, 2, 8))).linearizable()).isFalse();
    }

    @Test
    void realTimeOrderBinds() {
        // the pin faulted because the page was private: fine while they overlap, not when the pin came first
        Observation fault = new Observation.HostFault(0);
        assertThat(Linearizability.check(V8, twoSharedPages(),
                List.of(call(0, TO_PRIVATE, OK, 0, 10), call(1, PIN, fault, 5, 15))).linearizable()).isTrue();
        assertThat(Linearizability.check(V8, twoSharedPages(),
                List.of(call(0, TO_PRIVATE, OK, 20, 30), call(1, PIN, fault, 5, 15))).linearizable()).isFalse();
    }

    @Test
    void aTransientRefusalNeedsAGuestAccessInFlightOnThatPage() {
        Observation refused = new Observation.Refused(Errno.EAGAIN, 0);
        Operation.GuestRead onPage0 = new Operation.GuestRead(GuestLayout.gpa(0, 0));
        Operation.GuestRead onPage1 = new Operation.GuestRead(GuestLayout.gpa(0, PAGE_SIZE));
        Observation zero = new Observation.GuestValue(0);
        assertThat(Linearizability.check(V8, twoSharedPages(),
                List.of(call(0, TO_PRIVATE, refused, 0, 10), call(1, onPage0, zero, 2, 8))).linearizable()).isTrue();
        assertThat(Linearizability.check(V8, twoSharedPages(),
                List.of(call(0, TO_PRIVATE, refused, 0, 10), call(1, onPage0, zero, 12, 18))).linearizable()).isFalse();
        assertThat(Linearizability.check(V8, twoSharedPages(),
                List.of(call(0, TO_PRIVATE, refused, 0, 10), call(1, onPage1, zero, 2, 8))).linearizable()).isFalse();
    }

    @Test
    void aGuestAccessRacingAConversionOfItsPageMayExitAsTheKindThePageWas() {
        // RACE-5 on 7.3, two guest CPUs: vCPU 1 asks for page 0 private while vCPU 0 reads it; KVM
        // read the attributes (shared), the conversion landed, the second read mismatched
        ReferenceModel attributes = ReferenceModel.of(Edition.VM_ATTRIBUTES);
        ModelState s = after(attributes, new Operation.Create(0, 2 * PAGE_SIZE, 0), Operation.Bind.canonical(0, 0, 0, 2 * PAGE_SIZE));
        long page0 = GuestLayout.gpa(0, 0);
        Operation.GuestRead read = new Operation.GuestRead(page0);
        Observation sharedFault = new Observation.MemoryFaultExit(page0, PAGE_SIZE, false);
        Operation.GuestRequestConversion toPrivate = new Operation.GuestRequestConversion(page0, PAGE_SIZE, PageState.PRIVATE);
        Observation converted = new Observation.HypercallExit(page0, 1, dev.gmem.api.MemoryAttributes.PRIVATE, 0);
        assertThat(Linearizability.check(attributes, s,
                List.of(call(0, read, sharedFault, 2, 8), call(1, toPrivate, converted, 0, 10))).linearizable()).isTrue();
        assertThat(Linearizability.check(attributes, s,
                List.of(call(0, read, sharedFault, 12, 18), call(1, toPrivate, converted, 0, 10))).linearizable())
                .as("after the conversion completed").isFalse();
        assertThat(Linearizability.check(attributes, s, List.of(call(0, read, new Observation.MemoryFaultExit(page0, PAGE_SIZE, true), 2, 8),
                call(1, toPrivate, converted, 0, 10))).linearizable()).as("a private fault: the page was never private before").isFalse();
        Operation.GuestRequestConversion toShared = new Operation.GuestRequestConversion(page0, PAGE_SIZE, PageState.SHARED);
        assertThat(Linearizability.check(attributes, s, List.of(call(0, read, sharedFault, 2, 8),
                call(1, toShared, new Observation.HypercallExit(page0, 1, 0, 0), 0, 10))).linearizable())
                .as("a conversion to the state the page has").isFalse();
        Operation.Convert otherPage = Operation.Convert.of(0, PAGE_SIZE, PAGE_SIZE, PageState.PRIVATE);
        assertThat(Linearizability.check(attributes, s, List.of(call(0, read, sharedFault, 2, 8),
                call(1, otherPage, OK, 0, 10))).linearizable()).as("a conversion of another page").isFalse();
        Operation.Convert hostConvert = Operation.Convert.of(0, 0, PAGE_SIZE, PageState.PRIVATE);
        assertThat(Linearizability.check(attributes, s, List.of(call(0, new Operation.GuestWrite(page0 + 8, 5), sharedFault, 2, 8),
                call(1, hostConvert, OK, 0, 10))).linearizable()).as("a write racing the host's conversion").isTrue();
    }

    @Test
    void aGuestLoadRacingAHostWriteOfItsBytesMayBeTornAndAHostReadRacingAGuestStoreToo() {
        ReferenceModel mmap = ReferenceModel.of(Edition.GMEM_MMAP);
        ModelState s = after(mmap, new Operation.Create(0, PAGE_SIZE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED),
                Operation.Bind.canonical(0, 0, 0, PAGE_SIZE));
        long gpa = GuestLayout.gpa(0, 8);
        Operation.HostWrite page = new Operation.HostWrite(0, 0, PAGE_SIZE, (byte) 0x5a, 0);
        Operation.GuestRead load = new Operation.GuestRead(gpa);
        Observation torn = new Observation.GuestValue(0x5a5a_0000_0000_005aL);
        assertThat(Linearizability.check(mmap, s, List.of(call(0, page, OK, 0, 10), call(1, load, torn, 2, 8))).linearizable())
                .isTrue();
        assertThat(Linearizability.check(mmap, s, List.of(call(0, page, OK, 0, 10), call(1, load, torn, 12, 18))).linearizable())
                .as("after the write completed").isFalse();
        assertThat(Linearizability.check(mmap, s, List.of(call(0, page, OK, 0, 10),
                call(1, load, new Observation.GuestValue(0x5a5a_0000_0000_0077L), 2, 8))).linearizable()).as("a byte nobody wrote").isFalse();
        assertThat(Linearizability.check(mmap, s, List.of(call(0, new Operation.GuestWrite(gpa, 0x1234), OK, 0, 10),
                call(1, load, new Observation.GuestValue(0x34), 2, 8))).linearizable())
                .as("a guest load racing a guest store is one 8-byte access").isFalse();
        Operation.HostRead read = new Operation.HostRead(0, 8, 8, 0);
        Observation halfStored = new Observation.Read(dev.gmem.api.Bytes.of(new byte[] {0x34, 0, 0, 0, 0, 0, 0, 0}));
        assertThat(Linearizability.check(mmap, s, List.of(call(0, new Operation.GuestWrite(gpa, 0x1234), OK, 0, 10),
                call(1, read, halfStored, 2, 8))).linearizable()).as("a host read racing a guest store").isTrue();
    }

    @Test
    void aTornReadOfAPunchedRangeIsNotLinearizable() {
        ModelState s = after(V8, new Operation.Create(0, 2 * PAGE_SIZE, Edition.FLAG_MMAP | Edition.FLAG_INIT_SHARED),
                new Operation.HostWrite(0, 0, 2 * PAGE_SIZE, (byte) 7, 0));
        Operation.PunchHole punch = new Operation.PunchHole(0, 0, 2 * PAGE_SIZE);
        Operation.HostRead read0 = new Operation.HostRead(0, 0, 8, 0);
        Operation.HostRead read1 = new Operation.HostRead(0, PAGE_SIZE, 8, 0);
        Observation zeros = new Observation.Read(dev.gmem.api.Bytes.zeros(8));
        Observation sevens = new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 7));
        // page 0 already zero, then page 1 still old, one after the other while the punch runs
        List<Call> torn = List.of(call(0, punch, OK, 0, 100), new Call(1, 0, read0, zeros, 10, 20),
                new Call(1, 1, read1, sevens, 30, 40));
        assertThat(Linearizability.check(V8, s, torn).linearizable()).isFalse();
        List<Call> fine = List.of(call(0, punch, OK, 0, 100), new Call(1, 0, read1, sevens, 10, 20),
                new Call(1, 1, read0, zeros, 30, 40));
        assertThat(Linearizability.check(V8, s, fine).linearizable()).isTrue();
    }

    @Test
    void independentPagesAreCheckedApartAndTheFailingPartIsNamed() {
        ModelState s = twoSharedPages();
        List<Call> h = new ArrayList<>();
        // page 1: a harmless pair; page 0: the impossible pair
        h.add(call(2, new Operation.HostWrite(0, PAGE_SIZE, 8, (byte) 1, 0), OK, 0, 10));
        h.add(call(3, new Operation.HostRead(0, PAGE_SIZE, 8, 0), new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 1)), 11, 20));
        h.add(call(0, TO_PRIVATE, OK, 0, 10));
        h.add(call(1, new Operation.HostWrite(0, 0, 8, (byte) 5, 0), OK, 1, 9));
        h.add(call(1, new Operation.HostRead(0, 0, 8, 0), new Observation.Read(dev.gmem.api.Bytes.fill(8, (byte) 5)), 12, 13));
        Verdict v = Linearizability.check(V8, s, h);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.NOT_LINEARIZABLE);
        assertThat(v.part()).hasSize(3).allMatch(c -> c.thread() < 2);
        assertThat(Partitions.of(s, h)).hasSize(2);
    }

    @Test
    void successfulPinsOfDifferentPagesShareThePinCounter() {
        ModelState s = twoSharedPages();
        // handles say pin 1 came first, but it completed after pin 0 began... and pin 0 finished before pin 1 began
        List<Call> h = List.of(call(0, PIN, new Observation.Pinned(1), 0, 10),
                call(1, new Operation.Pin(0, PAGE_SIZE, PAGE_SIZE), new Observation.Pinned(0), 20, 30));
        assertThat(Partitions.of(s, h)).hasSize(1);
        assertThat(Linearizability.check(V8, s, h).linearizable()).isFalse();
    }

    @Test
    void thePictureHasOneColumnPerThreadAndMarksTheFailingCalls() {
        List<Call> h = List.of(call(0, TO_PRIVATE, OK, 0, 10_000), call(1, PIN, new Observation.Pinned(0), 1_000, 9_000));
        ModelState s = twoSharedPages();
        Verdict v = Linearizability.check(V8, s, h);
        String picture = HistoryPicture.render(new History(List.of(), List.of(), s,
                List.of(ThreadScript.Role.HOST, ThreadScript.Role.HOST), h), v);
        assertThat(picture).contains("thread 0 (host)").contains("thread 1 (host)").contains("┌ convert g0[p0+1p] private*")
                .contains("└ pin #0*").contains("no order of the * calls explains every answer");
    }
}
