package dev.groundwork.models.openai;

import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatModelProvider;
import dev.groundwork.core.model.ModelSettings;

/**
 * A hosted service that serves open models behind OpenAI's chat completions API, so that a model
 * fine-tuned there is served like any other: {@code together:MODEL} and {@code fireworks:MODEL}. The
 * base URL comes from the settings ({@code models.<prefix>.base_url}), else the service's
 * {@code *_BASE_URL} variable, else its public address; the key from the settings, else its
 * {@code *_API_KEY} variable (required). Their tokenizers are not available offline, so token counts
 * are estimates, and they publish no prices here: set them under {@code prices:}.
 */
public abstract class HostedProvider implements ChatModelProvider {
  private final String prefix;
  private final String defaultBaseUrl;
  private final String baseUrlVar;
  private final String keyVar;

  HostedProvider(String prefix, String defaultBaseUrl, String baseUrlVar, String keyVar) {
    this.prefix = prefix;
    this.defaultBaseUrl = defaultBaseUrl;
    this.baseUrlVar = baseUrlVar;
    this.keyVar = keyVar;
  }

  @Override
  public String prefix() {
    return prefix;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return ENDPOINT_KEYS;
  }

  @Override
  public ChatModel chatModel(String model, ModelSettings s) {
    String base = s.pick(s.baseUrl(), baseUrlVar);
    if (base == null) base = defaultBaseUrl;
    String key = s.pick(s.apiKey(), keyVar);
    if (key == null) throw new IllegalArgumentException(prefix + ": no API key; set " + keyVar + " (or models." + prefix + ".api_key in groundwork.yaml)");
    int window = s.contextWindow() != null ? s.contextWindow() : 8192;
    Tokenizer estimate = Tokenizer.forModel(model);
    return new OpenAiChat(prefix, model, base, key, s.connectTimeout(), s.timeout(), estimate::count, false, window, s.env());
  }

  /** No open model's tokenizer ships here: an estimate, with the 32k window most of their chat models have. */
  @Override
  public dev.groundwork.core.model.TokenCounter tokenCounter(String model) {
    return dev.groundwork.core.model.TokenCounter.estimate("no tokenizer for " + prefix + " models is available offline; a 32768-token window is assumed",
        32_768);
  }

  /** {@code together:MODEL}: Together AI's OpenAI-compatible API ({@code TOGETHER_BASE_URL}, {@code TOGETHER_API_KEY}). */
  public static final class Together extends HostedProvider {
    public Together() {
      super("together", "https://api.together.xyz/v1", "TOGETHER_BASE_URL", "TOGETHER_API_KEY");
    }
  }

  /** {@code fireworks:MODEL}: Fireworks AI's OpenAI-compatible API ({@code FIREWORKS_BASE_URL}, {@code FIREWORKS_API_KEY}). */
  public static final class Fireworks extends HostedProvider {
    public Fireworks() {
      super("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_BASE_URL", "FIREWORKS_API_KEY");
    }
  }
}
