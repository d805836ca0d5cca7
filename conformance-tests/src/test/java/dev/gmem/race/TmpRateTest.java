package dev.gmem.race;

import dev.gmem.api.Edition;
import org.junit.jupiter.api.Test;
import java.time.Duration;

class TmpRateTest {
    @Test
    void rates() {
        for (ToyGmem.Flaw f : new ToyGmem.Flaw[] {ToyGmem.Flaw.PUNCH_ZEROES_AFTER_UNLOCK, ToyGmem.Flaw.PIN_COUNT_NOT_ATOMIC, ToyGmem.Flaw.CONVERT_CHECKS_THEN_FLIPS}) {
            Mix m = f == ToyGmem.Flaw.PUNCH_ZEROES_AFTER_UNLOCK ? Mix.PUNCH_ACCESS : f == ToyGmem.Flaw.PIN_COUNT_NOT_ATOMIC ? Mix.PIN_COUNT : Mix.CONVERT_PIN;
            StringBuilder b = new StringBuilder(f + ":");
            for (long seed = 1; seed <= 6; seed++) {
                RaceConfig c = new RaceConfig(seed, 5000, 6, Duration.ofSeconds(60), 1, Duration.ofMillis(1));
                long t = System.nanoTime();
                RaceSearch.Result r = RaceSearch.search(new ToyTarget(f), Edition.INPLACE_V8, m, c);
                b.append(" ").append(r.original().isPresent() ? r.runs() : -r.runs()).append("(").append((System.nanoTime() - t) / 1_000_000).append("ms)");
            }
            System.out.println(b);
        }
    }
}
