package dev.gmem.model;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RunsTest {

    @Test
    @DisplayName("run-length map agrees with a plain array under random range and 8-byte writes")
    void agreesWithPlainArray() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(80);
            int[] plain = new int[n];
            Runs runs = Runs.uniform(n, 0);
            for (int step = 0; step < 60; step++) {
                int from = random.nextInt(n);
                int to = from + 1 + random.nextInt(n - from);
                int kind = random.nextInt(2);
                if (kind == 0) {
                    int v = random.nextInt(4) - 1;
                    runs = runs.set(from, to, v);
                    for (int i = from; i < to; i++) plain[i] = v;
                } else if (n - from >= 8) {
                    long value = random.nextLong() & 0x0101010101010101L;
                    runs = runs.setLong(from, value);
                    for (int i = 0; i < 8; i++) plain[from + i] = (int) (value >>> (8 * i)) & 0xff;
                }
                for (int i = 0; i < n; i++) assertThat(runs.get(i)).as("position %d of %s", i, runs).isEqualTo(plain[i]);
                for (int i = 1; i < runs.count(); i++) assertThat(runs.value(i)).isNotEqualTo(runs.value(i - 1));
                int probe = random.nextInt(4) - 1;
                long expectedFirst = -1;
                for (int i = from; i < to; i++) {
                    if (plain[i] == probe) {
                        expectedFirst = i;
                        break;
                    }
                }
                assertThat(runs.first(from, to, probe)).isEqualTo(expectedFirst);
            }
        }
    }
}
