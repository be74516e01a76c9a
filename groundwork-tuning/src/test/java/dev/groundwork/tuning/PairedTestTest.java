package dev.groundwork.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PairedTestTest {
  @Test
  void pairedTestSeesAConsistentRiseAndNotNoise() {
    double[] base = new double[30], better = new double[30], mixed = new double[30];
    for (int i = 0; i < 30; i++) {
      base[i] = 0.5;
      better[i] = 0.6;
      mixed[i] = i % 2 == 0 ? 0.6 : 0.4;
    }
    // every question rose: only the all-plus sign pattern reaches it, p is the floor 1/(1+R)
    assertThat(PairedTest.pValue(better, base, 2000, 1)).isLessThan(0.001);
    // no difference at all: every resample ties, p = 1
    assertThat(PairedTest.pValue(base, base, 2000, 1)).isEqualTo(1.0);
    // half up, half down by the same amount: nothing to see
    assertThat(PairedTest.pValue(mixed, base, 2000, 1)).isGreaterThan(0.3);
    // a fall is not a rise: one-sided
    assertThat(PairedTest.pValue(base, better, 2000, 1)).isGreaterThan(0.99);
  }

  @Test
  void unpairedScoresAreRefused() {
    assertThatThrownBy(() -> PairedTest.pValue(new double[2], new double[3], 10, 1)).hasMessageContaining("differ in length");
  }
}
