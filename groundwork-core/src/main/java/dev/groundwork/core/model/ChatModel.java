package dev.groundwork.core.model;

import java.util.function.Consumer;

/**
 * A generative model. Implementations map their provider's errors to {@link ModelException} (one
 * place per provider) and are thread-safe. Cross-cutting behaviour (retries, fallback, caching,
 * metering) wraps a model as a decorator.
 */
public interface ChatModel {
  /** The model's name as Groundwork knows it, e.g. {@code openai:gpt-4.1-mini}. */
  String name();

  /**
   * The number of tokens {@code text} takes for this model. The default is an estimate (word pieces);
   * providers with a known tokenizer count exactly.
   */
  default int countTokens(String text) {
    return dev.groundwork.core.text.Tokens.count(text);
  }

  /** The model's context window in tokens (prompt and reply together). */
  default int contextWindow() {
    return 8192;
  }

  /** @throws ModelException when the call fails; its kind says whether a retry may help */
  ChatResponse chat(ChatRequest request);

  /**
   * Streams the reply: {@code onToken} receives text as it arrives, and the complete response (with
   * usage) is returned at the end. The default calls {@link #chat} and delivers the text at once.
   */
  default ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    ChatResponse r = chat(request);
    if (!r.text().isEmpty()) onToken.accept(r.text());
    return r;
  }
}
