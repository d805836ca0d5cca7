package dev.gmem.api.outcome;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTextTest {
    @Test
    void aWrappedPictureIsFoundAgainInTheMessageAndNothingElseIs() {
        String picture = "   µs thread 0 (host)\n  0.0 ┌ pin g0[p0+1p]\n";
        String message = "not-linearizable history\ncase ...\n" + HistoryText.wrap(picture) + "tail";
        assertThat(HistoryText.in(message)).contains(picture);
        assertThat(HistoryText.in("a sequential failure")).isEmpty();
        assertThat(HistoryText.in(HistoryText.BEGIN + "\nno end")).isEmpty();
    }
}
