package dev.groundwork.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BeirTuningTest {
  @Test
  void theDevSplitIsASeededDrawFromTrainThatIgnoresFileOrder() {
    List<String> train = new ArrayList<>();
    for (int i = 0; i < 809; i++) train.add("q" + i);
    List<String> dev = BeirTuning.devSplit(train, 160, 13);
    assertThat(dev).hasSize(160).doesNotHaveDuplicates().allMatch(train::contains);
    List<String> shuffled = new ArrayList<>(train);
    Collections.shuffle(shuffled);
    assertThat(BeirTuning.devSplit(shuffled, 160, 13)).as("same seed, same draw, whatever the file order").isEqualTo(dev);
    assertThat(BeirTuning.devSplit(train, 160, 14)).isNotEqualTo(dev);
    assertThat(dev).isNotEqualTo(train.subList(0, 160));
    assertThatThrownBy(() -> BeirTuning.devSplit(train, 5, 13)).hasMessageContaining("10..809");
    assertThatThrownBy(() -> BeirTuning.devSplit(train, 900, 13)).hasMessageContaining("10..809");
  }

  @Test
  void aStepMovesOnlyOnARiseThePairedTestBelievesNotOnNoise() {
    double[] held = new double[160], consistent = new double[160], noisy = new double[160], lower = new double[160];
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 160; i++) {
      held[i] = 0.7;
      consistent[i] = 0.7 + 0.01 + 0.01 * r.nextGaussian(); // +0.01 on average, on most queries
      noisy[i] = 0.7 + 0.004 + 0.3 * r.nextGaussian(); // +0.004 on average, drowned in per-query swings
      lower[i] = 0.69;
    }
    assertThat(BeirTuning.risePValue(consistent, held)).isLessThan(BeirTuning.ALPHA);
    assertThat(BeirTuning.risePValue(noisy, held)).isGreaterThan(BeirTuning.ALPHA);
    assertThat(BeirTuning.risePValue(lower, held)).as("no rise, no test, no move").isNaN();
  }
}
