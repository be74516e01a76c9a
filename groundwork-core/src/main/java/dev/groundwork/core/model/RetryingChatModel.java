package dev.groundwork.core.model;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Retries retryable failures (429, 5xx, timeouts, malformed replies) after the delays of a
 * {@link Backoff} (exponential with full jitter, or the provider's Retry-After capped at maxDelay). Non-retryable failures
 * (authentication, bad request, content filter, context length) are thrown at once. After the last
 * attempt the last error is thrown. The sleeper and the random seed are injected for tests.
 * Thread-safe if the delegate is.
 */
public final class RetryingChatModel extends DelegatingChatModel {
  /** Waits; injected so tests run without sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final int maxAttempts;
  private final Backoff backoff;
  private final Sleeper sleeper;

  public RetryingChatModel(ChatModel delegate, int maxAttempts, Duration base, Duration maxDelay, Sleeper sleeper, long seed) {
    super(delegate);
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    this.maxAttempts = maxAttempts;
    this.backoff = new Backoff(base, maxDelay, seed);
    this.sleeper = sleeper;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return withRetries(() -> delegate.chat(request), new boolean[] {false});
  }

  /** A stream that failed after delivering tokens is not retried: the caller has already shown them. */
  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    boolean[] delivered = {false};
    return withRetries(() -> delegate.stream(request, t -> {
      delivered[0] = true;
      onToken.accept(t);
    }), delivered);
  }

  /** Records each failed attempt in the response's {@link ChatResponse.Trace}. */
  private ChatResponse withRetries(java.util.function.Supplier<ChatResponse> call, boolean[] delivered) {
    java.util.List<String> failures = new java.util.ArrayList<>();
    for (int attempt = 1; ; attempt++) {
      try {
        ChatResponse r = call.get();
        ChatResponse.Trace t = r.traceOr(delegate.name());
        java.util.List<String> all = new java.util.ArrayList<>(failures);
        all.addAll(t.failures());
        return r.withTrace(new ChatResponse.Trace(t.answeredBy(), t.attempts() + attempt - 1, all, t.fallback()));
      } catch (ModelException e) {
        if (!e.retryable() || attempt >= maxAttempts || delivered[0]) throw e;
        failures.add("attempt " + attempt + ": " + FallbackChatModel.describe(e));
        sleep(delay(attempt, e.retryAfter()));
      }
    }
  }

  Duration delay(int attempt, Duration retryAfter) {
    return backoff.delay(attempt, retryAfter);
  }

  private void sleep(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(name(), ModelException.Kind.TIMEOUT, "interrupted while waiting to retry");
    }
  }
}
