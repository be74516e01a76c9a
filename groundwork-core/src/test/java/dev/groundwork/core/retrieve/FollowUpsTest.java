package dev.groundwork.core.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.QueryRewrite;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowUpsTest {
  static FollowUps.Turn user(String s) {
    return new FollowUps.Turn("user", s);
  }

  static FollowUps.Turn assistant(String s) {
    return new FollowUps.Turn("assistant", s);
  }

  @Test
  void aFollowUpThatRefersBackGetsThePreviousTopic() {
    QueryRewrite r = FollowUps.byRule(List.of(user("What happens to dead jobs?"), assistant("They move to the dead-letter queue [1].")),
        "and how long is it kept?");
    assertThat(r.query()).isEqualTo("how long is it kept? dead jobs");
    assertThat(r.method()).isEqualTo("rule");
    assertThat(r.original()).isEqualTo("and how long is it kept?");
    assertThat(r.changed()).isTrue();
  }

  @Test
  void aStandaloneQuestionIsLeftAsItIs() {
    QueryRewrite r = FollowUps.byRule(List.of(user("What happens to dead jobs?")), "How many attempts does a failed job get before the dead-letter queue?");
    assertThat(r.query()).isEqualTo("How many attempts does a failed job get before the dead-letter queue?");
    assertThat(r.method()).isEqualTo("none");
    assertThat(FollowUps.byRule(List.of(), "and how long is it kept?").method()).as("no earlier turn: nothing to fill in").isEqualTo("none");
  }

  @Test
  void chainsOfFollowUpsKeepTheirTopicAndWordsAlreadyThereAreNotRepeated() {
    QueryRewrite r = FollowUps.byRule(List.of(user("How is the visibility timeout configured?"), user("and its default?")), "what about for retries?");
    // "and its default?" became "its default? visibility timeout configured"; the next one inherits that
    assertThat(r.query()).isEqualTo("what about for retries? default visibility timeout configured");
    assertThat(FollowUps.byRule(List.of(user("dead jobs retention")), "and for dead jobs?").query()).isEqualTo("for dead jobs? retention");
  }

  @Test
  void detectsWhatLeansOnEarlierTurns() {
    assertThat(FollowUps.dependsOnEarlierTurns("Is that configurable?")).isTrue();
    assertThat(FollowUps.dependsOnEarlierTurns("What about Postgres?")).isTrue();
    assertThat(FollowUps.dependsOnEarlierTurns("Also, the port?")).isTrue();
    assertThat(FollowUps.dependsOnEarlierTurns("Which port serves the Prometheus metrics endpoint?")).isFalse();
  }
}
