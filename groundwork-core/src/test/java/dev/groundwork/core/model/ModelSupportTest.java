package dev.groundwork.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class ModelSupportTest {
  /** A scripted model: each call takes the next outcome (a response text or an exception). */
  static final class ScriptedChatModel implements ChatModel {
    final String name;
    final Deque<Object> script;
    int calls;

    ScriptedChatModel(String name, Object... outcomes) {
      this.name = name;
      this.script = new ArrayDeque<>(List.of(outcomes));
    }

    public String name() {
      return name;
    }

    public ChatResponse chat(ChatRequest request) {
      calls++;
      Object next = script.isEmpty() ? "done" : script.poll();
      if (next instanceof ModelException e) throw e;
      return new ChatResponse((String) next, List.of(), new TokenUsage(10, 0, 5, false), name, "stop");
    }
  }

  static ModelException err(ModelException.Kind kind, Duration retryAfter) {
    return new ModelException("m", kind, kind.name(), retryAfter, null);
  }

  static final ChatRequest REQ = ChatRequest.of(ChatMessage.user("hi"));

  @Test
  void costArithmeticSeparatesCachedInputAndOutput() {
    Price p = new Price(2.00, 0.50, 8.00);
    // 1000 input of which 400 cached, 250 output: 600*2 + 400*0.5 + 250*8 = 1200 + 200 + 2000 = 3400 per 1M
    assertThat(p.cost(new TokenUsage(1000, 400, 250, false))).isCloseTo(0.0034, within(1e-12));
    PriceTable table = new PriceTable(Map.of("openai:gpt-4.1-mini", new Price(0.40, 0.10, 1.60)), java.util.Set.of("llamacpp"));
    assertThat(table.cost("openai:gpt-4.1-mini", new TokenUsage(1_000_000, 0, 1_000_000, false))).isCloseTo(2.00, within(1e-9));
    assertThat(table.cost("openai:some-new-model", new TokenUsage(1, 0, 1, false))).as("unknown, not free").isNull();
    assertThat(table.cost("llamacpp:/m.gguf", new TokenUsage(100, 0, 100, false))).as("a local provider").isZero();
    assertThat(table.cost("extractive", new TokenUsage(100, 0, 100, false))).isZero();
    assertThat(PriceTable.DEFAULTS.cost("llamacpp:/m.gguf", new TokenUsage(100, 0, 100, false))).as("free only when its provider says so").isNull();
    assertThat(table.with(Map.of("openai:some-new-model", new Price(1, 1, 1))).cost("openai:some-new-model", new TokenUsage(1_000_000, 0, 0, false)))
        .isEqualTo(1.0);
    assertThat(table.with(Map.of()).cost("llamacpp:/m.gguf", new TokenUsage(1, 0, 1, false))).as("overrides keep the free providers").isZero();
    assertThat(PriceTable.sum(0.1, 0.2)).isCloseTo(0.3, within(1e-12));
    assertThat(PriceTable.sum(0.1, null)).isNull();
    assertThatThrownBy(() -> new TokenUsage(5, 6, 0, false)).hasMessageContaining("cached");
  }

  @Test
  void citationsPointingNowhereAreDroppedAndReported() {
    CitationParser.Result r = CitationParser.parse("Jobs retry 5 times [1]. Backoff doubles [2][7]. See also [3, 9] and [0].", 3);
    assertThat(r.text()).isEqualTo("Jobs retry 5 times [1]. Backoff doubles [2]. See also [3] and.");
    assertThat(r.cited()).containsExactly(1, 2, 3);
    assertThat(r.invalid()).containsExactly(7, 9, 0);
    assertThat(CitationParser.parse("No citations at all.", 3).cited()).isEmpty();
    assertThat(CitationParser.parse("Huge [99999999999999999999].", 3).invalid()).containsExactly(-1);
  }

  @Test
  void retriesRetryableErrorsHonouringRetryAfter() {
    List<Duration> slept = new ArrayList<>();
    ScriptedChatModel m = new ScriptedChatModel("m", err(ModelException.Kind.RATE_LIMITED, Duration.ofSeconds(3)),
        err(ModelException.Kind.SERVER_ERROR, null), "ok");
    ChatModel r = new RetryingChatModel(m, 3, Duration.ofMillis(500), Duration.ofSeconds(20), slept::add, 1);
    assertThat(r.chat(REQ).text()).isEqualTo("ok");
    assertThat(m.calls).isEqualTo(3);
    assertThat(slept.get(0)).isEqualTo(Duration.ofSeconds(3)); // Retry-After wins
    assertThat(slept.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(1000)); // jitter within base * 2
  }

  @Test
  void doesNotRetryNonRetryableErrorsAndGivesUpAfterMaxAttempts() {
    ScriptedChatModel auth = new ScriptedChatModel("m", err(ModelException.Kind.AUTHENTICATION, null), "never");
    ChatModel r = new RetryingChatModel(auth, 5, Duration.ofMillis(1), Duration.ofMillis(10), d -> {}, 1);
    assertThatThrownBy(() -> r.chat(REQ)).isInstanceOf(ModelException.class).extracting(e -> ((ModelException) e).kind())
        .isEqualTo(ModelException.Kind.AUTHENTICATION);
    assertThat(auth.calls).isEqualTo(1);
    ScriptedChatModel down = new ScriptedChatModel("m", err(ModelException.Kind.SERVER_ERROR, null), err(ModelException.Kind.SERVER_ERROR, null),
        err(ModelException.Kind.TIMEOUT, null), "late");
    assertThatThrownBy(() -> new RetryingChatModel(down, 3, Duration.ofMillis(1), Duration.ofMillis(10), d -> {}, 1).chat(REQ))
        .extracting(e -> ((ModelException) e).kind()).isEqualTo(ModelException.Kind.TIMEOUT);
    assertThat(down.calls).isEqualTo(3);
  }

  @RepeatedTest(value = 20, name = "seeded backoff {currentRepetition}")
  void backoffStaysWithinItsExponentialCap(RepetitionInfo info) {
    RetryingChatModel r = new RetryingChatModel(new ScriptedChatModel("m"), 8, Duration.ofMillis(200), Duration.ofSeconds(5), d -> {},
        info.getCurrentRepetition());
    for (int attempt = 1; attempt <= 8; attempt++) {
      long cap = Math.min(5000, 200L << (attempt - 1));
      assertThat(r.delay(attempt, null).toMillis()).isBetween(0L, cap);
    }
    assertThat(r.delay(1, Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(5)); // Retry-After is capped too
  }

  @Test
  void fallbackAnswersWithTheNextModelAndRecordsWhy() {
    ScriptedChatModel a = new ScriptedChatModel("openai:gpt-4.1-mini", err(ModelException.Kind.UNAVAILABLE, null));
    ScriptedChatModel b = new ScriptedChatModel("anthropic:claude-haiku-4-5", "from b");
    FallbackChatModel f = new FallbackChatModel(List.of(a, b));
    ChatResponse r = f.chat(REQ);
    assertThat(r.text()).isEqualTo("from b");
    assertThat(r.trace().answeredBy()).isEqualTo("anthropic:claude-haiku-4-5");
    assertThat(r.trace().fallback()).isTrue();
    assertThat(r.trace().failures()).singleElement().asString().startsWith("openai:gpt-4.1-mini: unavailable");

    // retries inside a fallback chain: the trace keeps both the retry and the skip
    ScriptedChatModel flaky = new ScriptedChatModel("c", err(ModelException.Kind.RATE_LIMITED, null), "from c");
    ScriptedChatModel down = new ScriptedChatModel("d", err(ModelException.Kind.SERVER_ERROR, null), err(ModelException.Kind.SERVER_ERROR, null));
    RetryingChatModel rd = new RetryingChatModel(down, 2, Duration.ofMillis(1), Duration.ofMillis(1), d -> {}, 1);
    RetryingChatModel rc = new RetryingChatModel(flaky, 2, Duration.ofMillis(1), Duration.ofMillis(1), d -> {}, 1);
    ChatResponse r2 = new FallbackChatModel(List.of(rd, rc)).chat(REQ);
    assertThat(r2.trace().answeredBy()).isEqualTo("c");
    assertThat(r2.trace().attempts()).isEqualTo(2);
    assertThat(r2.trace().failures()).hasSize(2);
    assertThat(r2.trace().failures().get(0)).startsWith("d: server_error");
    assertThat(r2.trace().failures().get(1)).startsWith("attempt 1: rate_limited");

    ScriptedChatModel bad = new ScriptedChatModel("a", err(ModelException.Kind.BAD_REQUEST, null));
    ScriptedChatModel never = new ScriptedChatModel("b", "unused");
    assertThatThrownBy(() -> new FallbackChatModel(List.of(bad, never)).chat(REQ)).isInstanceOf(ModelException.class);
    assertThat(never.calls).isZero();
  }

  @Test
  void aStreamThatAlreadyDeliveredTokensIsNotRetried() {
    ChatModel half = new ChatModel() {
      int calls;

      public String name() {
        return "m";
      }

      public ChatResponse chat(ChatRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public ChatResponse stream(ChatRequest request, java.util.function.Consumer<String> onToken) {
        calls++;
        onToken.accept("partial ");
        throw err(ModelException.Kind.SERVER_ERROR, null);
      }
    };
    List<String> tokens = new ArrayList<>();
    assertThatThrownBy(() -> new RetryingChatModel(half, 3, Duration.ofMillis(1), Duration.ofMillis(1), d -> {}, 1).stream(REQ, tokens::add))
        .isInstanceOf(ModelException.class);
    assertThat(tokens).containsExactly("partial ");
  }
}
