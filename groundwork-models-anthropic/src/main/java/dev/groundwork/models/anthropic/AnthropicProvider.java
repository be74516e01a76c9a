package dev.groundwork.models.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatModelProvider;
import dev.groundwork.core.model.ModelException.Kind;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.model.TokenUsage;
import dev.groundwork.core.text.Tokens;
import dev.groundwork.models.langchain4j.LangChain4jChatModel;
import dev.groundwork.models.langchain4j.Requests;
import dev.groundwork.models.langchain4j.StatusHttpClient;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.Locale;

/**
 * {@code anthropic:MODEL}. The base URL comes from the settings, else {@code ANTHROPIC_BASE_URL}, else
 * {@code https://api.anthropic.com} ({@code /v1} is added when missing); the key from the settings,
 * else {@code ANTHROPIC_API_KEY}, and is required. A JSON Schema is asked for in the prompt and
 * checked by the caller, since structured output is still a beta feature of this API.
 */
public final class AnthropicProvider implements ChatModelProvider {
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The reply limit when a request sets none; Anthropic requires one. */
  static final int DEFAULT_MAX_TOKENS = 1024;

  @Override
  public String prefix() {
    return "anthropic";
  }

  @Override
  public java.util.Set<String> configKeys() {
    return ENDPOINT_KEYS;
  }

  /** USD per 1M tokens (input, cached input, output) as Anthropic published them; groundwork.yaml's prices: override. */
  @Override
  public java.util.Map<String, dev.groundwork.core.model.Price> prices() {
    return java.util.Map.of(
        "claude-haiku-4-5", new dev.groundwork.core.model.Price(1.00, 0.10, 5.00),
        "claude-sonnet-4-5", new dev.groundwork.core.model.Price(3.00, 0.30, 15.00),
        "claude-opus-4-1", new dev.groundwork.core.model.Price(15.00, 1.50, 75.00));
  }

  @Override
  public ChatModel chatModel(String model, ModelSettings s) {
    String base = s.pick(s.baseUrl(), "ANTHROPIC_BASE_URL");
    String url = base == null ? DEFAULT_BASE_URL : base;
    url = url.replaceAll("/+$", "");
    if (!url.endsWith("/v1")) url += "/v1";
    url += "/";
    String key = s.pick(s.apiKey(), "ANTHROPIC_API_KEY");
    if (key == null) throw new IllegalArgumentException("anthropic: no API key; set ANTHROPIC_API_KEY (or models.anthropic.api_key in groundwork.yaml)");
    AnthropicChatModel chat = AnthropicChatModel.builder().httpClientBuilder(StatusHttpClient.builder(s.connectTimeout(), s.env()))
        .baseUrl(url).apiKey(key).modelName(model).maxTokens(DEFAULT_MAX_TOKENS).timeout(s.timeout()).maxRetries(0).build();
    AnthropicStreamingChatModel streaming = AnthropicStreamingChatModel.builder()
        .httpClientBuilder(StatusHttpClient.builder(s.connectTimeout(), s.env())).baseUrl(url).apiKey(key).modelName(model)
        .maxTokens(DEFAULT_MAX_TOKENS).timeout(s.timeout()).build();
    int window = s.contextWindow() != null ? s.contextWindow() : 200_000;
    return new LangChain4jChatModel("anthropic:" + model, chat, streaming,
        r -> Requests.parameters(DefaultChatRequestParameters.builder(), r, model, false)
            .maxOutputTokens(r.maxTokens() == null ? DEFAULT_MAX_TOKENS : r.maxTokens()).build(),
        AnthropicProvider::usage, AnthropicProvider::kind, Tokens::count, window, s.timeout());
  }

  /** Anthropic's input_tokens leaves out cache reads and writes; here input counts them all. */
  private static TokenUsage usage(dev.langchain4j.model.chat.response.ChatResponse r) {
    var u = r.tokenUsage();
    if (u == null || u.inputTokenCount() == null) return null;
    long cacheRead = 0, cacheWrite = 0;
    if (u instanceof AnthropicTokenUsage a) {
      cacheRead = a.cacheReadInputTokens() == null ? 0 : a.cacheReadInputTokens();
      cacheWrite = a.cacheCreationInputTokens() == null ? 0 : a.cacheCreationInputTokens();
    }
    return new TokenUsage(u.inputTokenCount() + cacheRead + cacheWrite, cacheRead, u.outputTokenCount() == null ? 0 : u.outputTokenCount(), false);
  }

  /** Anthropic's HTTP errors as kinds: the one place where this provider's status codes are read. */
  static Kind kind(int status, String body) {
    String type = "";
    String message = body == null ? "" : body;
    try {
      JsonNode err = JSON.readTree(body).path("error");
      type = err.path("type").asText("");
      message = err.path("message").asText(message);
    } catch (Exception e) {
      // not Anthropic's error shape: decide by status alone
    }
    message = message.toLowerCase(Locale.ROOT);
    if (status == 429) return Kind.RATE_LIMITED;
    if (status == 529 || type.equals("overloaded_error")) return Kind.UNAVAILABLE;
    if (status >= 500) return Kind.SERVER_ERROR;
    if (status == 401 || status == 403) return Kind.AUTHENTICATION;
    if (status == 408) return Kind.TIMEOUT;
    if (message.contains("prompt is too long") || message.contains("context window")) return Kind.CONTEXT_LENGTH_EXCEEDED;
    return Kind.BAD_REQUEST;
  }
}
