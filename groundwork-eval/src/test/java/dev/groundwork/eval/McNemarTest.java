package dev.groundwork.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class McNemarTest {
  @Test
  void matchesHandComputedBinomialTails() {
    // 0 of 5 disagreements for the first: 2 * (1/2)^5
    assertThat(McNemar.exactP(0, 5)).isCloseTo(0.0625, within(1e-12));
    // 1 of 10: 2 * (1 + 10) / 1024
    assertThat(McNemar.exactP(1, 9)).isCloseTo(22.0 / 1024, within(1e-12));
    assertThat(McNemar.exactP(9, 1)).isCloseTo(22.0 / 1024, within(1e-12));
    // 2 of 12: 2 * (1 + 12 + 66) / 4096
    assertThat(McNemar.exactP(2, 10)).isCloseTo(158.0 / 4096, within(1e-12));
  }

  @Test
  void balancedOrNoDisagreementsIsNoEvidence() {
    assertThat(McNemar.exactP(0, 0)).isEqualTo(1.0);
    assertThat(McNemar.exactP(3, 3)).isEqualTo(1.0);
    assertThat(McNemar.exactP(1, 2)).isEqualTo(1.0);
  }

  @Test
  void largeCountsStayFinite() {
    double p = McNemar.exactP(900, 1100);
    assertThat(p).isGreaterThan(0).isLessThan(1e-4);
    assertThatThrownBy(() -> McNemar.exactP(-1, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
