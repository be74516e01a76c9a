package dev.groundwork.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryChatModelTest {
  /** A model that answers with its own name and a context window of its own. */
  private record Named(String name, int contextWindow) implements ChatModel {
    public ChatResponse chat(ChatRequest r) {
      return new ChatResponse("from " + name, List.of(), TokenUsage.ZERO, name, "stop");
    }
  }

  private static final ChatRequest REQ = new ChatRequest(List.of(ChatMessage.user("hi")), 0.0, 16, List.of(), null, null);

  @Test
  void aTenthOfTheCallsGoToTheCandidateAndEachReplyNamesItsModel() {
    CanaryChatModel m = new CanaryChatModel("support@production", new Named("together:prod", 8192), new Named("together:cand", 4096), 0.1);
    List<String> answeredBy = new ArrayList<>();
    for (int i = 0; i < 100; i++) answeredBy.add(m.chat(REQ).traceOr("?").answeredBy());
    assertThat(answeredBy.stream().filter("together:cand"::equals).count()).isEqualTo(10);
    assertThat(answeredBy.subList(0, 10)).containsOnlyOnce("together:cand"); // spread out, not bunched at the end
    assertThat(answeredBy.stream().filter("together:prod"::equals).count()).isEqualTo(90);
    assertThat(m.name()).isEqualTo("support@production");
    assertThat(m.contextWindow()).isEqualTo(4096);
  }

  @Test
  void streamsSplitTheSameWayAndShareMustBeAProportion() {
    CanaryChatModel all = new CanaryChatModel("a@production", new Named("p", 1000), new Named("c", 1000), 1.0);
    StringBuilder sb = new StringBuilder();
    assertThat(all.stream(REQ, sb::append).traceOr("?").answeredBy()).isEqualTo("c");
    assertThat(sb).hasToString("from c");
    assertThatThrownBy(() -> new CanaryChatModel("a", new Named("p", 1), new Named("c", 1), 0)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> new CanaryChatModel("a", new Named("p", 1), new Named("c", 1), 1.5)).hasMessageContaining("(0, 1]");
  }
}
