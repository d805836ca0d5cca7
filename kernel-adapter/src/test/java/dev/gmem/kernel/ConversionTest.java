package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.ConversionCall;
import dev.gmem.api.Edition;
import dev.gmem.api.Errno;
import dev.gmem.api.Observation;
import dev.gmem.api.Operation.Convert;
import dev.gmem.api.PageState;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The conversion strategies: one per ConversionCall, and, on a default VM of this kernel,
 * KVM_SET_MEMORY_ATTRIBUTES2 reaches the guest_memfd (a kernel without it answers ENOTTY) or a closed
 * handle is refused. The RFC v2 numbers are not sent here: only {@code kernel:rfc-v2-convert} sends them.
 */
class ConversionTest {
    private static final long PAGE = Kvm.PAGE_SIZE;

    @Test
    void eachConversionCallHasItsOwnStrategy() {
        Map<ConversionCall, Class<?>> expected = Map.of(ConversionCall.VM_ATTRIBUTES, VmAttributesConversion.class,
                ConversionCall.GMEM_ATTRIBUTES2, Attributes2Conversion.class,
                ConversionCall.GMEM_CONVERT, RfcV2Conversion.class, ConversionCall.NONE, NoConversion.class);
        assertThat(expected).containsOnlyKeys(ConversionCall.values());
        for (Edition e : Edition.all()) {
            assertThat(Conversion.of(e)).as(e.name()).isInstanceOf(expected.get(e.conversionCall()));
        }
    }

    /** One default VM and one open guest_memfd (handle 0); handle 1 is closed. */
    private record FakeHost(Vm vm, GmemFile gmem, Memory request) implements Conversion.Host {
        @Override
        public GmemFile open(int handle) {
            return handle == 0 ? gmem : null;
        }

        @Override
        public Slot slotHolding(long gpa, long size) {
            return null;
        }
    }

    @Test
    void attributes2GoesToTheGuestMemfdAndRefusesAClosedHandle() {
        KvmAvailable.target();
        assumeTrue(!KvmAvailable.profile().attributes2Present(), "this kernel has KVM_SET_MEMORY_ATTRIBUTES2");
        try (KvmDevice kvm = KvmDevice.open(); Vm vm = kvm.createVm(Kvm.X86_DEFAULT_VM);
             Memory request = new Memory(Structs.MemoryAttributes2.SIZE)) {
            int fd = vm.createGuestMemfd(PAGE, 0);
            assertThat(fd).as("KVM_CREATE_GUEST_MEMFD").isPositive();
            GmemFile gmem = new GmemFile(fd, 0, PAGE, 0, null, null);
            try {
                FakeHost host = new FakeHost(vm, gmem, request);
                Conversion c = Conversion.of(Edition.INPLACE_V8);
                assertThat(c.convert(host, Convert.of(0, 0, PAGE, PageState.PRIVATE), true))
                        .isEqualTo(new Observation.Failed(Errno.ENOTTY));
                assertThat(c.convert(host, Convert.of(1, 0, PAGE, PageState.PRIVATE), true))
                        .isEqualTo(new Observation.Failed(Errno.EBADF));
                assertThat(c.convertForGuest(host, 0x1000_0000L, PAGE, true)).as("a guest range with no memslot")
                        .isEqualTo(-Errnos.EINVAL);
            } finally {
                gmem.close();
            }
        } catch (dev.gmem.api.TargetException e) {
            throw new AssertionError(e);
        }
    }
}
