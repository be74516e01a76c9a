package dev.groundwork.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.TimedChatModel;
import dev.groundwork.core.model.TokenUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
  static ChatModel model(boolean fail) {
    return new ChatModel() {
      public String name() {
        return "fake:m";
      }

      public ChatResponse chat(ChatRequest r) {
        if (fail) throw new ModelException("fake:m", ModelException.Kind.SERVER_ERROR, "boom");
        return new ChatResponse("hi", List.of(), new TokenUsage(7, 0, 2, false), "m-1", "stop");
      }
    };
  }

  @Test
  void sectionsAreKeptOnlyWhileATimelineRunsOnThisThread() {
    Timeline.record("ignored", System.nanoTime(), Map.of(), null);
    assertThat(Timeline.end()).isNull();
    Timeline.begin();
    long t0 = System.nanoTime();
    new TimedChatModel(model(false)).chat(ChatRequest.of(dev.groundwork.core.model.ChatMessage.user("hello")));
    assertThatThrownBy(() -> new TimedChatModel(model(true)).chat(ChatRequest.of(dev.groundwork.core.model.ChatMessage.user("hello")))).isInstanceOf(ModelException.class);
    Timeline.record("log.write", t0, Map.of("groundwork.query_id", "q_1"), null);
    Timeline t = Timeline.end();
    assertThat(Timeline.active()).isFalse();
    assertThat(t.sections()).extracting(Timeline.Section::name).containsExactly("model.call", "model.call", "log.write");
    Timeline.Section ok = t.sections().get(0);
    assertThat(ok.attributes()).containsEntry("gen_ai.request.model", "fake:m").containsEntry("gen_ai.usage.input_tokens", 7L)
        .containsEntry("gen_ai.response.model", "m-1");
    assertThat(ok.error()).isNull();
    assertThat(ok.endEpochNanos()).isGreaterThanOrEqualTo(ok.startEpochNanos());
    assertThat(t.sections().get(1).error()).contains("boom");
    long now = System.currentTimeMillis() * 1_000_000L;
    assertThat(t.sections().get(2).endEpochNanos()).isBetween(now - 5_000_000_000L, now + 5_000_000_000L);
  }
}
