package dev.groundwork.core.model;

import dev.groundwork.core.trace.Timeline;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Records each call of a model as a {@code model.call} section of the current request's
 * {@link Timeline}: the model, its tokens, and the error when it failed. Wrap a provider's client with
 * it below the retry and fallback decorators, so that every attempt is its own section.
 */
public final class TimedChatModel extends DelegatingChatModel {
  public TimedChatModel(ChatModel delegate) {
    super(delegate);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return timed(false, () -> delegate.chat(request));
  }

  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    return timed(true, () -> delegate.stream(request, onToken));
  }

  private ChatResponse timed(boolean stream, java.util.function.Supplier<ChatResponse> call) {
    if (!Timeline.active()) return call.get();
    long t0 = System.nanoTime();
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("gen_ai.request.model", delegate.name());
    attrs.put("groundwork.stream", stream);
    try {
      ChatResponse r = call.get();
      attrs.put("gen_ai.usage.input_tokens", r.usage().inputTokens());
      attrs.put("gen_ai.usage.output_tokens", r.usage().outputTokens());
      if (r.model() != null) attrs.put("gen_ai.response.model", r.model());
      Timeline.record("model.call", t0, attrs, null);
      return r;
    } catch (RuntimeException e) {
      Timeline.record("model.call", t0, attrs, e);
      throw e;
    }
  }
}
