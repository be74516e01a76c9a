package dev.groundwork.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tries models in order: when one fails with a retryable error (after its own retries, if it is
 * wrapped in {@link RetryingChatModel}) or is unavailable, the next one answers. A non-retryable
 * error (a bad request, say) is thrown at once, since another model would fail the same way.
 * The response's {@link ChatResponse.Trace} tells which model answered and why the earlier ones were
 * skipped. Thread-safe if the models are.
 */
public final class FallbackChatModel implements ChatModel {
  private final List<ChatModel> chain;

  public FallbackChatModel(List<ChatModel> chain) {
    if (chain.isEmpty()) throw new IllegalArgumentException("a fallback chain needs at least one model");
    this.chain = List.copyOf(chain);
  }

  @Override
  public String name() {
    return chain.get(0).name();
  }

  @Override
  public int countTokens(String text) {
    return chain.get(0).countTokens(text);
  }

  /** The smallest window in the chain, so a prompt fits whichever model answers. */
  @Override
  public int contextWindow() {
    return chain.stream().mapToInt(ChatModel::contextWindow).min().orElseThrow();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return run(m -> m.chat(request));
  }

  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    return run(m -> m.stream(request, onToken));
  }

  /** A one-line description of a failure: its kind and message. */
  static String describe(ModelException e) {
    return e.kind().name().toLowerCase(java.util.Locale.ROOT) + " (" + e.getMessage() + ")";
  }

  private ChatResponse run(java.util.function.Function<ChatModel, ChatResponse> call) {
    List<String> skipped = new ArrayList<>();
    ModelException lastError = null;
    for (ChatModel m : chain) {
      try {
        ChatResponse r = call.apply(m);
        ChatResponse.Trace t = r.traceOr(m.name());
        List<String> all = new ArrayList<>(skipped);
        all.addAll(t.failures());
        return r.withTrace(new ChatResponse.Trace(t.answeredBy(), t.attempts(), all, !skipped.isEmpty()));
      } catch (ModelException e) {
        if (!e.retryable()) throw e;
        skipped.add(m.name() + ": " + describe(e));
        lastError = e;
      }
    }
    throw lastError;
  }
}
