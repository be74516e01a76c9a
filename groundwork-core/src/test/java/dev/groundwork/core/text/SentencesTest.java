package dev.groundwork.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentencesTest {
  private static List<String> split(String t) {
    return Sentences.split(t).stream().map(s -> s.of(t)).toList();
  }

  @Test
  void splitsOnTerminatorsFollowedByCapitals() {
    assertThat(split("The queue is full. Workers wait! Is it slow? Yes.")).containsExactly("The queue is full.", "Workers wait!", "Is it slow?", "Yes.");
  }

  @Test
  void keepsAbbreviationsDecimalsAndInitials() {
    assertThat(split("Use e.g. Pebble for storage. Version 3.2 is out. J. Smith wrote it."))
        .containsExactly("Use e.g. Pebble for storage.", "Version 3.2 is out.", "J. Smith wrote it.");
  }

  @Test
  void listItemsAndBlankLinesEndSentences() {
    assertThat(split("Limits:\n- one minute\n- 10,000 schedules\n\nNext part")).containsExactly("Limits:", "- one minute", "- 10,000 schedules", "Next part");
  }

  @Test
  void lowerCaseAfterPeriodDoesNotSplit() {
    assertThat(split("Run tidewaterd status. then check.")).hasSize(1);
  }
}
