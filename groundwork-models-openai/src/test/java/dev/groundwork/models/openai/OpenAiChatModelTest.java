package dev.groundwork.models.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.testkit.ChatModelContract;
import dev.groundwork.testkit.FakeLlmServer;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest extends ChatModelContract {
  @Override
  protected FakeLlmServer newServer() {
    return new FakeOpenAiServer();
  }

  @Override
  protected ChatModel model(String wireModel, ModelSettings settings) {
    return new OpenAiProvider().chatModel(wireModel, settings);
  }

  @Override
  protected String sentSystemPrompt(JsonNode body) {
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
    return body.path("messages").get(0).path("content").asText();
  }

  @Override
  protected String sentLastUserMessage(JsonNode body) {
    JsonNode msgs = body.path("messages");
    JsonNode last = msgs.get(msgs.size() - 1);
    assertThat(last.path("role").asText()).isEqualTo("user");
    return last.path("content").asText();
  }

  @Override
  protected void checkStreamRequest(JsonNode body) {
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).as("asks for usage in the stream").isTrue();
  }

  @Override
  protected void checkToolsSent(JsonNode body) {
    JsonNode fn = body.path("tools").get(0).path("function");
    assertThat(body.path("tools").get(0).path("type").asText()).isEqualTo("function");
    assertThat(fn.path("name").asText()).isEqualTo("search_docs");
    assertThat(fn.path("parameters").path("properties").path("k").path("type").asText()).isEqualTo("integer");
    assertThat(fn.path("parameters").path("required").get(0).asText()).isEqualTo("query");
  }

  @Test
  void theSeedAndTheSchemaAreSent() {
    server.enqueue(server.text("{\"answer\":\"5\"}", 10, 0, 3));
    var req = new dev.groundwork.core.model.ChatRequest(REQUEST.messages(), 0.0, 50, List.of(), "{\"type\":\"object\"}", 42L);
    model().chat(req);
    JsonNode body = server.lastRequest().json();
    assertThat(body.path("seed").asInt()).isEqualTo(42);
    assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_schema");
    assertThat(body.path("response_format").path("json_schema").path("schema").path("type").asText()).isEqualTo("object");
  }

  @Test
  void tokenLogprobsAreAskedForOnlyWhenWantedAndAveragedStreamedOrNot() {
    FakeOpenAiServer s = (FakeOpenAiServer) server;
    var asking = new dev.groundwork.core.model.ChatRequest(REQUEST.messages(), 0.0, 50, List.of(), null, null, true);
    s.enqueue(s.textWithLogprob("It gets five attempts.", -0.75, 10, 4), s.textWithLogprob("It gets five attempts.", -2.5, 10, 4),
        s.textWithLogprob("It gets five attempts.", -0.75, 10, 4));
    var r = model().chat(asking);
    assertThat(server.lastRequest().json().path("logprobs").asBoolean()).isTrue();
    assertThat(r.meanLogprob()).isEqualTo(-0.75, org.assertj.core.api.Assertions.within(1e-9));
    var streamed = model().stream(asking, t -> {});
    assertThat(streamed.text()).isEqualTo("It gets five attempts.");
    assertThat(streamed.meanLogprob()).isEqualTo(-2.5, org.assertj.core.api.Assertions.within(1e-9));
    // not asked: none sent, none read
    assertThat(model().chat(REQUEST).meanLogprob()).isNull();
    assertThat(server.lastRequest().json().has("logprobs")).isFalse();
  }

  @Test
  void contentFilterAndQuotaAreTypedAndNotRetried() {
    FakeOpenAiServer s = (FakeOpenAiServer) server;
    s.enqueue(s.contentFiltered(), s.error(429, "insufficient_quota", "You exceeded your current quota"));
    assertThatThrownBy(() -> model().chat(REQUEST)).isInstanceOfSatisfying(ModelException.class,
        e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.CONTENT_FILTER));
    assertThatThrownBy(() -> model().chat(REQUEST)).isInstanceOfSatisfying(ModelException.class, e -> {
      assertThat(e.kind()).isEqualTo(ModelException.Kind.QUOTA_EXCEEDED);
      assertThat(e.retryable()).isFalse();
    });
  }

  @Test
  void keyAndBaseUrlComeFromTheEnvironmentAndTheOfficialApiNeedsAKey() {
    ModelSettings env = new ModelSettings(null, null, Duration.ofSeconds(2), Duration.ofSeconds(5), null, null,
        Map.of("OPENAI_BASE_URL", server.baseUrl(), "OPENAI_API_KEY", "env-key"));
    ChatModel m = ModelRegistry.discover().chatModel("openai:gpt-4.1-mini", env);
    assertThat(m.name()).isEqualTo("openai:gpt-4.1-mini");
    m.chat(REQUEST);
    assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer env-key");
    assertThat(m.contextWindow()).isGreaterThan(1_000_000);
    assertThat(m.countTokens("hello world")).isEqualTo(2);

    ModelSettings none = new ModelSettings(null, null, Duration.ofSeconds(2), Duration.ofSeconds(5), null, null, Map.of());
    assertThatThrownBy(() -> new OpenAiProvider().chatModel("gpt-4.1-mini", none)).hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  void embeddingsAreUnitVectorsInInputOrder() {
    Embedder e = new OpenAiProvider().embedder("my-embedder", settings());
    List<float[]> v = e.embedDocuments(List.of("alpha", "beta"));
    assertThat(v).hasSize(2);
    assertThat(v.get(0)).containsExactly(FakeOpenAiServer.vector("alpha"), org.assertj.core.data.Offset.offset(1e-5f));
    assertThat(e.dimension()).isEqualTo(FakeOpenAiServer.EMBEDDING_DIMENSION);
    assertThat(e.name()).isEqualTo("openai:my-embedder");
    assertThat(server.lastRequest().json().path("input").size()).isEqualTo(2);
  }

  @Test
  void requestsGoThroughTheProxyNamedInTheProjectsEnvironment() {
    // the base URL's host does not resolve; the fake answers as the proxy, so only a proxied request can succeed
    String port = server.baseUrl().replaceAll(".*:(\\d+).*", "$1");
    var s = new dev.groundwork.core.model.ModelSettings("http://api.provider.invalid/v1", "test-key", java.time.Duration.ofSeconds(2),
        java.time.Duration.ofSeconds(10), null, null, java.util.Map.of("HTTP_PROXY", "http://127.0.0.1:" + port));
    server.enqueue(server.text("through the proxy", 10, 0, 3));
    var reply = new OpenAiProvider().chatModel("gpt-4.1-mini", s).chat(dev.groundwork.core.model.ChatRequest.of(
        dev.groundwork.core.model.ChatMessage.user("hi")));
    assertThat(reply.text()).isEqualTo("through the proxy");
    assertThat(server.lastRequest().path()).isEqualTo("http://api.provider.invalid/v1/chat/completions");
  }
}
