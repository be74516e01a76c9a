package dev.groundwork.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RoutingCurveTest {
  // four prompts: the weak model is right on 0 and 1, the strong one on 0, 2 and 3
  private static final double[] WEAK = {1, 1, 0, 0};
  private static final double[] STRONG = {1, 0, 1, 1};

  @Test
  void theCurveFollowsTheScoreOrderFromAllWeakToAllStrong() {
    // the router sends 2, then 3, then 0, then 1 to the strong model
    RoutingCurve c = RoutingCurve.of(new double[] {0.5, 0.1, 0.9, 0.7}, WEAK, STRONG);
    assertThat(c.weakQuality()).isEqualTo(0.5);
    assertThat(c.strongQuality()).isEqualTo(0.75);
    assertThat(c.quality(0)).isEqualTo(0.5);
    assertThat(c.quality(0.25)).isEqualTo(0.75); // prompt 2 gained
    assertThat(c.quality(0.5)).isEqualTo(1.0); // prompt 3 gained
    assertThat(c.quality(0.75)).isEqualTo(1.0); // prompt 0: both right
    assertThat(c.quality(1)).isEqualTo(0.75); // prompt 1 lost
    assertThat(c.quality(0.125)).isCloseTo(0.625, within(1e-12)); // straight line between points
    // area: trapezoids (0.625 + 0.875 + 1 + 0.875) / 4 = 0.84375; APGR = (0.84375 - 0.5) / 0.25
    assertThat(c.apgr()).isCloseTo(1.375, within(1e-12));
    assertThat(c.pgr(0.5)).isCloseTo(2.0, within(1e-12));
    assertThat(c.cpt(0.5)).isCloseTo(0.125, within(1e-12));
    assertThat(c.cpt(1.0)).isCloseTo(0.25, within(1e-12));
    assertThat(c.cpt(3.0)).isNaN();
  }

  @Test
  void tiedScoresMoveTogetherAsAStraightLine() {
    // one score for everyone: the curve is the straight line from weak to strong, APGR exactly 0.5
    RoutingCurve flat = RoutingCurve.of(new double[] {0.3, 0.3, 0.3, 0.3}, WEAK, STRONG);
    assertThat(flat.apgr()).isCloseTo(0.5, within(1e-12));
    assertThat(flat.quality(0.5)).isCloseTo(0.625, within(1e-12));
    // a reversed router (worst first) scores below a random one, the oracle above every other order
    double reversed = RoutingCurve.of(new double[] {0.5, 0.9, 0.1, 0.2}, WEAK, STRONG).apgr();
    assertThat(reversed).isLessThan(0.5);
    assertThat(RoutingCurve.oracle(WEAK, STRONG).apgr()).isCloseTo(1.375, within(1e-12));
    assertThat(RoutingCurve.randomApgr(WEAK, STRONG, 200, 3)).isBetween(0.35, 0.65);
  }

  @Test
  void anUndefinedGapAndMismatchedInputsAreNamed() {
    assertThatThrownBy(() -> RoutingCurve.of(new double[] {1, 2}, new double[] {1, 1}, new double[] {1, 0}).apgr())
        .hasMessageContaining("not better than the weak one");
    assertThatThrownBy(() -> RoutingCurve.of(new double[] {1}, new double[] {1, 1}, new double[] {1, 0})).hasMessageContaining("one score");
  }
}
