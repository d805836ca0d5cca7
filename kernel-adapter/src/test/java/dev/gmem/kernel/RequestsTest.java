package dev.gmem.kernel;

import com.sun.jna.Memory;
import dev.gmem.api.Operation.Convert.Raw;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bytes each conversion or memslot request carries (the encoding of paths this machine cannot run). */
class RequestsTest {
    private static long[] words(Memory m, int size) {
        long[] out = new long[size / 8];
        for (int i = 0; i < out.length; i++) out[i] = m.getLong(8L * i);
        return out;
    }

    private static Memory dirty(int size) {
        Memory m = new Memory(size);
        m.setMemory(0, size, (byte) 0xEE);
        return m;
    }

    @Test
    void vmAttributesCarryGpaSizeAttributesFlags() {
        try (Memory m = dirty(Structs.MemoryAttributes.SIZE)) {
            Requests.memoryAttributes(m, 0x1000_3000L, 0x2000, Requests.attributes(true, Raw.NONE), 0);
            assertThat(words(m, Structs.MemoryAttributes.SIZE)).containsExactly(0x1000_3000L, 0x2000, 8, 0);
            Requests.memoryAttributes(m, 0x1000_3000L, 0x1000, Requests.attributes(false, new Raw(0, 0, 1L << 5, 0)), 2);
            assertThat(words(m, Structs.MemoryAttributes.SIZE)).containsExactly(0x1000_3000L, 0x1000, 1L << 5, 2);
        }
    }

    @Test
    void attributes2CarryEveryRawFieldAndZeroTheRest() {
        try (Memory m = dirty(Structs.MemoryAttributes2.SIZE)) {
            Requests.memoryAttributes2(m, 0x4000, 0x3000, true, new Raw(0x1000, 4, 1L << 9, 7));
            long[] w = words(m, Structs.MemoryAttributes2.SIZE);
            assertThat(w).hasSize(16);
            assertThat(w[0]).as("offset").isEqualTo(0x4000);
            assertThat(w[1]).as("size").isEqualTo(0x3000);
            assertThat(w[2]).as("attributes").isEqualTo(8 | (1L << 9));
            assertThat(w[3]).as("flags").isEqualTo(4);
            assertThat(w[4]).as("error_offset").isEqualTo(0x1000);
            assertThat(w[5]).as("reserved[0]").isEqualTo(7);
            for (int i = 6; i < 16; i++) assertThat(w[i]).as("reserved[%d]", i - 5).isZero();
            Requests.memoryAttributes2(m, 0, 0x1000, false, Raw.NONE);
            assertThat(words(m, Structs.MemoryAttributes2.SIZE)).containsExactly(0, 0x1000, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0);
        }
    }

    @Test
    void rfcConvertCarriesOffsetSizeAndInputErrorOffset() {
        try (Memory m = dirty(Structs.GmemConvert.SIZE)) {
            Requests.gmemConvert(m, 0x2000, 0x1000, new Raw(0x5000, 0, 0, 3));
            assertThat(words(m, Structs.GmemConvert.SIZE)).containsExactly(0x2000, 0x1000, 0x5000, 3, 0, 0, 0, 0);
        }
    }

    @Test
    void memslotRequestsBindAGuestMemfd() {
        try (Memory m = dirty(Structs.UserMemoryRegion2.SIZE)) {
            Requests.userMemoryRegion2(m, 3, Kvm.MEM_GUEST_MEMFD, 0x1000_0000L, 0x4000, 0x7f00_0000_0000L, 0x2000, 42);
            assertThat(m.getInt(0)).isEqualTo(3);
            assertThat(m.getInt(4)).isEqualTo(4);
            assertThat(m.getLong(8)).isEqualTo(0x1000_0000L);
            assertThat(m.getLong(16)).isEqualTo(0x4000);
            assertThat(m.getLong(24)).isEqualTo(0x7f00_0000_0000L);
            assertThat(m.getLong(32)).isEqualTo(0x2000);
            assertThat(m.getInt(40)).isEqualTo(42);
            for (int at = 44; at < Structs.UserMemoryRegion2.SIZE; at += 4) assertThat(m.getInt(at)).as("pad at %d", at).isZero();
        }
    }

    @Test
    void createCarriesSizeAndFlagsWithZeroReserved() {
        try (Memory m = dirty(Structs.CreateGuestMemfd.SIZE)) {
            Requests.createGuestMemfd(m, 0x10000, 3);
            assertThat(words(m, Structs.CreateGuestMemfd.SIZE)).containsExactly(0x10000, 3, 0, 0, 0, 0, 0, 0);
        }
    }

    @Test
    void regsCarryTheGivenRegistersAndZeroTheRest() {
        try (Memory m = dirty(Structs.Regs.SIZE)) {
            Requests.regs(m, 0x1000, 0x8000, 2, 11, 12, 13, 14, 15);
            // kvm_regs: rax rbx rcx rdx rsi rdi rsp rbp r8..r15 rip rflags
            assertThat(words(m, Structs.Regs.SIZE)).containsExactly(11, 12, 13, 14, 15, 0, 0x8000, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0x1000, 2);
        }
    }

    @Test
    void enableCapCarriesCapAndOneArgument() {
        try (Memory m = dirty(Structs.EnableCap.SIZE)) {
            Requests.enableCap(m, Kvm.CAP_EXIT_HYPERCALL, 1L << Kvm.HC_MAP_GPA_RANGE);
            assertThat(m.getInt(0)).as("cap").isEqualTo(Kvm.CAP_EXIT_HYPERCALL);
            assertThat(m.getInt(4)).as("flags").isZero();
            assertThat(m.getLong(8)).as("args[0]").isEqualTo(1L << 12);
            for (int at = 16; at < Structs.EnableCap.SIZE; at += 8) assertThat(m.getLong(at)).as("at %d", at).isZero();
        }
    }
}
