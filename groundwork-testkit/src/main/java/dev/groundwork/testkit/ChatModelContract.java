package dev.groundwork.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.model.RetryingChatModel;
import dev.groundwork.core.model.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every HTTP {@link ChatModel} provider must show against its fake server: what it
 * sends, what it parses, and how each failure is typed. A provider's test extends this and says how
 * to build its model and fake.
 */
public abstract class ChatModelContract {
  protected FakeLlmServer server;

  /** A new fake for the provider. */
  protected abstract FakeLlmServer newServer();

  /** The provider's model named {@code wireModel} (e.g. {@code gpt-4.1-mini}), configured with {@code settings}. */
  protected abstract ChatModel model(String wireModel, ModelSettings settings);

  /** The system prompt as the request carried it. */
  protected abstract String sentSystemPrompt(JsonNode body);

  /** The last user message as the request carried it. */
  protected abstract String sentLastUserMessage(JsonNode body);

  /** Provider-specific checks of a streaming request (stream options, say). */
  protected void checkStreamRequest(JsonNode body) {}

  /** Checks of the tool definitions as sent. */
  protected abstract void checkToolsSent(JsonNode body);

  @BeforeEach
  void startServer() {
    server = newServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  protected ModelSettings settings() {
    return new ModelSettings(server.baseUrl(), "test-key", Duration.ofSeconds(2), Duration.ofSeconds(10), null, null, Map.of());
  }

  protected ChatModel model() {
    return model("test-model", settings());
  }

  protected static final ChatRequest REQUEST = new ChatRequest(
      List.of(ChatMessage.system("Answer from the sources."), ChatMessage.user("How many attempts does a job get?")), 0.0, 200, List.of(), null, 7L);

  @Test
  void chatSendsModelMessagesAndKeyAndParsesTextAndUsage() {
    server.enqueue(server.text("Five attempts [1].", 120, 20, 9));
    ChatResponse r = model().chat(REQUEST);
    assertThat(r.text()).isEqualTo("Five attempts [1].");
    assertThat(r.usage().inputTokens()).isEqualTo(120);
    assertThat(r.usage().cachedInputTokens()).isEqualTo(20);
    assertThat(r.usage().outputTokens()).isEqualTo(9);
    assertThat(r.usage().estimated()).isFalse();
    FakeLlmServer.Recorded req = server.lastRequest();
    JsonNode body = req.json();
    assertThat(body.path("model").asText()).isEqualTo("test-model");
    assertThat(sentSystemPrompt(body)).isEqualTo("Answer from the sources.");
    assertThat(sentLastUserMessage(body)).isEqualTo("How many attempts does a job get?");
    assertThat(body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt())).isEqualTo(200);
    assertThat(String.valueOf(req.header("Authorization")) + req.header("x-api-key")).contains("test-key");
  }

  @Test
  void streamingDeliversPiecesInOrderAndUsage() {
    server.enqueue(server.stream(List.of("Five ", "attempts ", "[1]."), 100, 7, true));
    List<String> pieces = new ArrayList<>();
    ChatResponse r = model().stream(REQUEST, pieces::add);
    assertThat(String.join("", pieces)).isEqualTo("Five attempts [1].");
    assertThat(pieces).hasSizeGreaterThanOrEqualTo(3);
    assertThat(r.text()).isEqualTo("Five attempts [1].");
    assertThat(r.usage().inputTokens()).isEqualTo(100);
    assertThat(r.usage().outputTokens()).isEqualTo(7);
    assertThat(r.usage().estimated()).isFalse();
    JsonNode body = server.lastRequest().json();
    assertThat(body.path("stream").asBoolean()).isTrue();
    checkStreamRequest(body);
  }

  @Test
  void aStreamWithoutUsageIsCountedLocallyAndMarkedEstimated() {
    server.enqueue(server.stream(List.of("Five ", "attempts."), 0, 0, false));
    ChatResponse r = model().stream(REQUEST, t -> {});
    assertThat(r.text()).isEqualTo("Five attempts.");
    assertThat(r.usage().estimated()).isTrue();
    assertThat(r.usage().inputTokens()).isPositive();
    assertThat(r.usage().outputTokens()).isPositive();
  }

  @Test
  void rateLimitIsRetryableAndCarriesRetryAfter() {
    server.enqueue(server.rateLimited(7));
    assertThatThrownBy(() -> model().chat(REQUEST)).isInstanceOfSatisfying(ModelException.class, e -> {
      assertThat(e.kind()).isEqualTo(ModelException.Kind.RATE_LIMITED);
      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    });
  }

  @Test
  void aStreamThatIsRateLimitedIsTypedToo() {
    server.enqueue(server.rateLimited(3));
    assertThatThrownBy(() -> model().stream(REQUEST, t -> {})).isInstanceOfSatisfying(ModelException.class, e -> {
      assertThat(e.kind()).isEqualTo(ModelException.Kind.RATE_LIMITED);
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    });
  }

  @Test
  void serverErrorsAreRetryableAndClientErrorsAreNot() {
    server.enqueue(server.error(500, "server_error", "boom"), server.error(401, "authentication_error", "invalid x-api-key"),
        server.error(400, "invalid_request_error", "temperature: must be <= 2"));
    assertKind(ModelException.Kind.SERVER_ERROR, true);
    assertKind(ModelException.Kind.AUTHENTICATION, false);
    assertKind(ModelException.Kind.BAD_REQUEST, false);
  }

  @Test
  void aTooLongPromptIsTypedAsContextLengthExceeded() {
    server.enqueue(server.contextTooLong());
    assertKind(ModelException.Kind.CONTEXT_LENGTH_EXCEEDED, false);
  }

  @Test
  void aBodyThatIsNotJsonIsAMalformedResponse() {
    server.enqueue(FakeLlmServer.malformed());
    assertKind(ModelException.Kind.MALFORMED_RESPONSE, true);
  }

  @Test
  void aCutStreamIsAnErrorNotATruncatedAnswer() {
    server.enqueue(server.cutStream(List.of("Five ", "att")));
    List<String> pieces = new ArrayList<>();
    assertThatThrownBy(() -> model().stream(REQUEST, pieces::add)).isInstanceOfSatisfying(ModelException.class, e -> {
      assertThat(e.retryable()).isTrue();
      assertThat(e.kind()).as("detected as a broken stream, not by waiting for the timeout").isNotEqualTo(ModelException.Kind.TIMEOUT);
    });
  }

  @Test
  void aSlowServerTimesOut() {
    server.enqueue(FakeLlmServer.slow(3000, server.text("late", 1, 0, 1)));
    ChatModel m = model("test-model", settings().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> m.chat(REQUEST)).isInstanceOfSatisfying(ModelException.class,
        e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2900));
  }

  @Test
  void anUnreachableServerIsUnavailable() {
    String url = server.baseUrl();
    server.close();
    ChatModel m = model("test-model", settings().withBaseUrl(url));
    assertThatThrownBy(() -> m.chat(REQUEST)).isInstanceOfSatisfying(ModelException.class,
        e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.UNAVAILABLE));
  }

  /** {@link #REQUEST} offering one tool, {@code search_docs(query, k)}. */
  static final ChatRequest WITH_TOOL = new ChatRequest(REQUEST.messages(), null, null, List.of(new ToolSpec("search_docs", "Search the documents",
      "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"},\"k\":{\"type\":\"integer\"}},\"required\":[\"query\"]}")),
      null, null);

  @Test
  void toolsAreSentAndToolCallsParsed() {
    server.enqueue(server.toolCall("call_1", "search_docs", "{\"query\":\"retries\",\"k\":3}"));
    ChatRequest req = WITH_TOOL;
    ChatResponse r = model().chat(req);
    assertThat(r.toolCalls()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("call_1");
      assertThat(c.name()).isEqualTo("search_docs");
      assertThat(FakeLlmServer.JSON.valueToTree(c.argumentsJson()).asText()).contains("retries");
    });
    checkToolsSent(server.lastRequest().json());
  }

  @Test
  void aStreamedToolCallIsAssembledFromItsPieces() {
    server.enqueue(server.toolCall("call_2", "search_docs", "{\"query\":\"visibility timeout\",\"k\":5}"));
    ChatRequest req = WITH_TOOL;
    List<String> tokens = new ArrayList<>();
    ChatResponse r = model().stream(req, tokens::add);
    assertThat(server.lastRequest().json().path("stream").asBoolean()).isTrue();
    assertThat(r.finishReason()).isEqualTo("tool_calls");
    assertThat(r.toolCalls()).singleElement().satisfies(c -> {
      assertThat(c.id()).isEqualTo("call_2");
      assertThat(c.name()).isEqualTo("search_docs");
      JsonNode args = FakeLlmServer.JSON.readTree(c.argumentsJson());
      assertThat(args.path("query").asText()).isEqualTo("visibility timeout");
      assertThat(args.path("k").asInt()).isEqualTo(5);
    });
    assertThat(String.join("", tokens)).isEmpty(); // no text was streamed
  }

  @Test
  void retriesRecoverFromARateLimitOverTheWire() {
    server.enqueue(server.rateLimited(0), server.text("ok", 3, 0, 1));
    ChatModel m = new RetryingChatModel(model(), 3, Duration.ofMillis(1), Duration.ofMillis(10), d -> {}, 1);
    ChatResponse r = m.chat(REQUEST);
    assertThat(r.text()).isEqualTo("ok");
    assertThat(r.trace().attempts()).isEqualTo(2);
    assertThat(server.requests()).hasSize(2);
  }

  private void assertKind(ModelException.Kind kind, boolean retryable) {
    assertThatThrownBy(() -> model().chat(REQUEST)).isInstanceOfSatisfying(ModelException.class, e -> {
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.retryable()).isEqualTo(retryable);
    });
  }
}
