package dev.groundwork.app.versions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdapterGateTest {
  @Test
  void pairedTestSeesAConsistentRiseAndNotNoise() {
    double[] base = new double[30], better = new double[30], mixed = new double[30];
    for (int i = 0; i < 30; i++) {
      base[i] = 0.5;
      better[i] = 0.6;
      mixed[i] = i % 2 == 0 ? 0.6 : 0.4;
    }
    // every question rose: only the all-plus sign pattern reaches it, p is the floor 1/(1+R)
    assertThat(AdapterVersions.pairedPValue(better, base, 2000, 1)).isLessThan(0.001);
    // no difference at all: every resample ties, p = 1
    assertThat(AdapterVersions.pairedPValue(base, base, 2000, 1)).isEqualTo(1.0);
    // half up, half down by the same amount: nothing to see
    assertThat(AdapterVersions.pairedPValue(mixed, base, 2000, 1)).isGreaterThan(0.3);
    // a fall is not a rise: one-sided
    assertThat(AdapterVersions.pairedPValue(base, better, 2000, 1)).isGreaterThan(0.99);
  }
}
