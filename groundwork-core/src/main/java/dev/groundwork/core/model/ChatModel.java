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

  /**
   * True when {@link #countTokens} is the provider's own tokenizer, so counts are exact rather than
   * estimates. Budgets then bound a request's input by the count; otherwise by its UTF-8 bytes.
   */
  default boolean countsExactly() {
    return false;
  }

  /**
   * A number of input tokens {@code request} cannot exceed, for budgets. Message text is counted with
   * {@link #countTokens} where that is {@link #countsExactly exact}, else as its UTF-8 byte count: a
   * byte-level BPE or byte-fallback tokenizer never makes more tokens than bytes. Every message,
   * tool and schema adds a margin of 16 for the tokens the chat format adds around it.
   */
  default long inputTokenBound(ChatRequest request) {
    long n = 16;
    for (ChatMessage m : request.messages()) {
      n += 16 + (countsExactly() ? countTokens(m.content()) : utf8(m.content())) + utf8(m.toolCallId());
      for (ToolCall c : m.toolCalls()) n += 16 + utf8(c.id()) + utf8(c.name()) + utf8(c.argumentsJson());
    }
    for (ToolSpec t : request.tools()) n += 16 + utf8(t.name()) + utf8(t.description()) + utf8(t.parametersSchema());
    if (request.responseSchema() != null) n += 16 + utf8(request.responseSchema());
    return n;
  }

  private static long utf8(String s) {
    return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
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
