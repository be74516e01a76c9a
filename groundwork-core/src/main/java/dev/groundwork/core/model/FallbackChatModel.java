package dev.groundwork.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tries models in order: when one fails with a retryable error (after its own retries, if it is
 * wrapped in {@link RetryingChatModel}) or is unavailable, the next one answers. A non-retryable
 * error (a bad request, say) is thrown at once, since another model would fail the same way.
 * {@link #lastRoute()} tells which model answered and why the earlier ones were skipped.
 */
public final class FallbackChatModel implements ChatModel {
  /** Which model answered, and the error of each model tried before it. */
  public record Route(String answeredBy, List<String> skipped) {}

  private final List<ChatModel> chain;
  private final ThreadLocal<Route> last = new ThreadLocal<>();

  public FallbackChatModel(List<ChatModel> chain) {
    if (chain.isEmpty()) throw new IllegalArgumentException("a fallback chain needs at least one model");
    this.chain = List.copyOf(chain);
  }

  @Override
  public String name() {
    return chain.get(0).name();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return run(m -> m.chat(request));
  }

  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    return run(m -> m.stream(request, onToken));
  }

  /** The route of the last call on this thread, or null. */
  public Route lastRoute() {
    return last.get();
  }

  private ChatResponse run(java.util.function.Function<ChatModel, ChatResponse> call) {
    List<String> skipped = new ArrayList<>();
    ModelException lastError = null;
    for (ChatModel m : chain) {
      try {
        ChatResponse r = call.apply(m);
        last.set(new Route(m.name(), List.copyOf(skipped)));
        return r;
      } catch (ModelException e) {
        if (!e.retryable()) throw e;
        skipped.add(m.name() + ": " + e.kind().name().toLowerCase(java.util.Locale.ROOT) + " (" + e.getMessage() + ")");
        lastError = e;
      }
    }
    last.set(null);
    throw lastError;
  }
}
