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
}
