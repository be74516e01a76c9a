package dev.groundwork.models.openai;

import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatModelProvider;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.spi.Embedder;

/**
 * {@code openai:MODEL}. The base URL comes from the settings, else {@code OPENAI_BASE_URL}, else
 * {@code https://api.openai.com/v1}; the key from the settings, else {@code OPENAI_API_KEY}. A key is
 * required for api.openai.com only: local servers (vLLM, Ollama, llama.cpp) usually take none.
 */
public final class OpenAiProvider implements ChatModelProvider {
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  @Override
  public String prefix() {
    return "openai";
  }

  @Override
  public java.util.Set<String> configKeys() {
    return ENDPOINT_KEYS;
  }

  /** USD per 1M tokens (input, cached input, output) as OpenAI published them; groundwork.yaml's prices: override. */
  @Override
  public java.util.Map<String, dev.groundwork.core.model.Price> prices() {
    return java.util.Map.of(
        "gpt-4.1", new dev.groundwork.core.model.Price(2.00, 0.50, 8.00),
        "gpt-4.1-mini", new dev.groundwork.core.model.Price(0.40, 0.10, 1.60),
        "gpt-4.1-nano", new dev.groundwork.core.model.Price(0.10, 0.025, 0.40),
        "gpt-4o", new dev.groundwork.core.model.Price(2.50, 1.25, 10.00),
        "gpt-4o-mini", new dev.groundwork.core.model.Price(0.15, 0.075, 0.60),
        "text-embedding-3-small", new dev.groundwork.core.model.Price(0.02, 0.02, 0),
        "text-embedding-3-large", new dev.groundwork.core.model.Price(0.13, 0.13, 0));
  }

  @Override
  public ChatModel chatModel(String model, ModelSettings s) {
    String baseUrl = baseUrl(s);
    String key = apiKey(s, baseUrl);
    Tokenizer tokenizer = Tokenizer.forModel(model);
    int window = s.contextWindow() != null ? s.contextWindow() : contextWindow(model);
    // the tiktoken encodings are OpenAI's own models' tokenizers; a compatible server elsewhere may run any model
    boolean exact = baseUrl.startsWith(DEFAULT_BASE_URL) && Tokenizer.isOwn(model);
    return new OpenAiChat(model, baseUrl, key, s.connectTimeout(), s.timeout(), tokenizer::count, exact, window, s.env());
  }

  @Override
  public dev.groundwork.core.model.TokenCounter tokenCounter(String model) {
    if (!Tokenizer.isOwn(model)) {
      return dev.groundwork.core.model.TokenCounter.estimate(model + " is not one of OpenAI's own models, whose tokenizers ship here", contextWindow(model));
    }
    Tokenizer t = Tokenizer.forModel(model);
    return new dev.groundwork.core.model.TokenCounter(t::count, true, "jtokkit " + t.encodingName() + " (the model's own)", contextWindow(model));
  }

  @Override
  public Embedder embedder(String model, ModelSettings s) {
    String baseUrl = baseUrl(s);
    return new OpenAiEmbedder(model, baseUrl, apiKey(s, baseUrl), s);
  }

  static String baseUrl(ModelSettings s) {
    String u = s.pick(s.baseUrl(), "OPENAI_BASE_URL");
    return u == null ? DEFAULT_BASE_URL : u;
  }

  static String apiKey(ModelSettings s, String baseUrl) {
    String key = s.pick(s.apiKey(), "OPENAI_API_KEY");
    if (key != null) return key;
    if (baseUrl.startsWith(DEFAULT_BASE_URL)) {
      throw new IllegalArgumentException("openai: no API key; set OPENAI_API_KEY (or models.openai.api_key in groundwork.yaml), "
          + "or point OPENAI_BASE_URL at a local OpenAI-compatible server");
    }
    return "none"; // local servers ignore the key, but the header must be well-formed
  }

  /** Context windows of common models; 128k otherwise (configure models.context_window for others). */
  static int contextWindow(String model) {
    if (model.startsWith("gpt-4.1")) return 1_047_576;
    if (model.startsWith("gpt-3.5")) return 16_385;
    return 128_000;
  }
}
