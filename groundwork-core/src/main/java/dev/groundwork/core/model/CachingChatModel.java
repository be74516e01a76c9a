package dev.groundwork.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Answers a request seen before from a {@link ResponseStore}, so re-running an unchanged eval costs
 * nothing. The key is a SHA-256 over the model's name and everything in the request (messages, tool
 * calls, temperature, limits, tools, schema, seed). Only successful replies are stored: errors are
 * never cached. A cached reply has zero usage (nothing was billed) and a trace marked
 * {@code cached}; a streamed request gets the cached text at once. Thread-safe if the delegate and
 * the store are.
 */
public final class CachingChatModel extends DelegatingChatModel {
  private final String keyName;
  private final ResponseStore store;

  /** @param keyName what identifies the model(s) behind this cache, e.g. the names of a fallback chain */
  public CachingChatModel(ChatModel delegate, String keyName, ResponseStore store) {
    super(delegate);
    this.keyName = keyName;
    this.store = store;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    String key = key(keyName, request);
    Optional<ChatResponse> hit = store.get(key);
    if (hit.isPresent()) return asCached(hit.get());
    ChatResponse r = delegate.chat(request);
    store.put(key, r);
    return r;
  }

  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    String key = key(keyName, request);
    Optional<ChatResponse> hit = store.get(key);
    if (hit.isPresent()) {
      ChatResponse r = asCached(hit.get());
      if (!r.text().isEmpty()) onToken.accept(r.text());
      return r;
    }
    ChatResponse r = delegate.stream(request, onToken);
    store.put(key, r);
    return r;
  }

  private ChatResponse asCached(ChatResponse r) {
    ChatResponse.Trace t = r.traceOr(delegate.name());
    return new ChatResponse(r.text(), r.toolCalls(), TokenUsage.ZERO, r.model(), r.finishReason(),
        new ChatResponse.Trace(t.answeredBy(), 0, t.failures(), t.fallback(), true));
  }

  /** The cache key of {@code request} sent to {@code model}. */
  public static String key(String model, ChatRequest request) {
    StringBuilder sb = new StringBuilder("v1\u0000").append(model);
    for (ChatMessage m : request.messages()) {
      sb.append('\u0000').append(m.role()).append('\u0001').append(m.content()).append('\u0001').append(m.toolCallId());
      for (ToolCall c : m.toolCalls()) sb.append('\u0002').append(c.id()).append('\u0003').append(c.name()).append('\u0003').append(c.argumentsJson());
    }
    sb.append('\u0000').append(request.temperature()).append('\u0000').append(request.maxTokens()).append('\u0000').append(request.responseSchema())
        .append('\u0000').append(request.seed());
    for (ToolSpec t : request.tools()) sb.append('\u0000').append(t.name()).append('\u0001').append(t.description()).append('\u0001').append(t.parametersSchema());
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
