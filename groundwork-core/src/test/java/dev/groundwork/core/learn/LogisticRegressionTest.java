package dev.groundwork.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
  @Test
  void learnsWhichFeatureSeparatesTheLabelsAndIgnoresNoise() {
    Random rnd = new Random(5);
    List<double[]> x = new ArrayList<>();
    List<Boolean> y = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      boolean label = rnd.nextBoolean();
      // feature 0 carries the label (shifted by 3 units), feature 1 is noise on a large scale
      x.add(new double[] {(label ? 3 : 0) + rnd.nextGaussian(), 1000 * rnd.nextGaussian()});
      y.add(label);
    }
    LogisticRegression.Model m = LogisticRegression.fit(List.of("signal", "noise"), x, y, 0.001, 2000);
    assertThat(m.weights()[0]).isGreaterThan(1.5);
    assertThat(Math.abs(m.weights()[1])).isLessThan(0.3);
    assertThat(m.probability(new double[] {4, 0})).isGreaterThan(0.9);
    assertThat(m.probability(new double[] {-1, 0})).isLessThan(0.1);
    int right = 0;
    for (int i = 0; i < x.size(); i++) if ((m.probability(x.get(i)) >= 0.5) == y.get(i)) right++;
    assertThat(right).isGreaterThan(340); // the Bayes rate here is about 93%
  }

  @Test
  void theTextFormRoundTripsAndBadFilesNameTheLine() {
    LogisticRegression.Model m = new LogisticRegression.Model(List.of("a", "b"), new double[] {1, 2}, new double[] {0.5, 4}, new double[] {-1.25, 2},
        0.75);
    String text = m.write("fitted on\ntwo lines");
    assertThat(text).startsWith("# fitted on\n# two lines\n");
    LogisticRegression.Model back = LogisticRegression.Model.parse(text, "m.model");
    assertThat(back.names()).containsExactly("a", "b");
    assertThat(back.probability(new double[] {3, 1})).isCloseTo(m.probability(new double[] {3, 1}), org.assertj.core.data.Offset.offset(1e-9));
    assertThatThrownBy(() -> LogisticRegression.Model.parse("a 1 0 2\nbias 0\n", "m.model")).hasMessageContaining("m.model:1").hasMessageContaining("sd");
    assertThatThrownBy(() -> LogisticRegression.Model.parse("a 1 1 2\n", "m.model")).hasMessageContaining("no 'bias' line");
    assertThatThrownBy(() -> LogisticRegression.fit(List.of("a"), List.of(new double[] {1}), List.of(true), 0, 10))
        .hasMessageContaining("both labels");
  }
}
