package dev.gmem.model;

import dev.gmem.api.Bytes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PagedBytesTest {

    @Test
    @DisplayName("two-level paged content agrees with a plain array under random range, byte-string and 8-byte writes")
    void agreesWithPlainArray() {
        Random random = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int size = 4096 * (1 + random.nextInt(5));
            int[] plain = new int[size];
            PagedBytes content = PagedBytes.zeros(size);
            for (int step = 0; step < 80; step++) {
                int from = random.nextBoolean() ? 4096 * random.nextInt(size / 4096) : random.nextInt(size);
                int to = from + 1 + random.nextInt(Math.min(size - from, random.nextBoolean() ? 16 : size));
                int kind = random.nextInt(3);
                if (kind == 0) {
                    int v = random.nextInt(4) - 1;
                    content = content.set(from, to, v);
                    for (int i = from; i < to; i++) plain[i] = v;
                } else if (kind == 1) {
                    byte[] data = new byte[to - from];
                    for (int i = 0; i < data.length; i++) data[i] = (byte) (random.nextInt(8) < 6 ? 7 : random.nextInt(3));
                    content = content.set(from, Bytes.of(data));
                    for (int i = from; i < to; i++) plain[i] = data[i - from] & 0xff;
                } else if (size - from >= 8) {
                    long value = random.nextLong() & 0x0303030303030303L;
                    content = content.setLong(from, value);
                    for (int i = 0; i < 8; i++) plain[from + i] = (int) (value >>> (8 * i)) & 0xff;
                }
                int qFrom = random.nextInt(size);
                int qTo = qFrom + 1 + random.nextInt(size - qFrom);
                for (int i = qFrom; i < qTo; i += 1 + random.nextInt(97)) assertThat(content.get(i)).isEqualTo(plain[i]);
                int probe = random.nextInt(4) - 1;
                long expectedFirst = -1;
                for (int i = qFrom; i < qTo; i++) {
                    if (plain[i] == probe) {
                        expectedFirst = i;
                        break;
                    }
                }
                assertThat(content.first(qFrom, qTo, probe)).isEqualTo(expectedFirst);
                if (probe != -1 && content.first(qFrom, qTo, -1) < 0) {
                    byte[] expected = new byte[qTo - qFrom];
                    for (int i = qFrom; i < qTo; i++) expected[i - qFrom] = (byte) plain[i];
                    assertThat(content.bytes(qFrom, qTo)).isEqualTo(Bytes.of(expected));
                }
            }
        }
    }
}
