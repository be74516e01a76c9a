package dev.groundwork.core.model;

import java.time.Duration;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Exponential backoff with full jitter: before retry n the delay is a random value in
 * [0, min(maxDelay, base * 2^(n-1))], or the provider's Retry-After when it is given (capped at
 * maxDelay). Thread-safe.
 */
public final class Backoff {
  private final Duration base;
  private final Duration maxDelay;
  private final Random random;

  public Backoff(Duration base, Duration maxDelay, long seed) {
    this.base = base;
    this.maxDelay = maxDelay;
    this.random = new Random(seed);
  }

  /** The wait before retry {@code attempt} (1 = the first retry). */
  public Duration delay(int attempt, Duration retryAfter) {
    if (retryAfter != null) return retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
    long cap = Math.min(maxDelay.toMillis(), base.toMillis() << Math.min(30, attempt - 1));
    synchronized (random) {
      return Duration.ofMillis((long) (random.nextDouble() * (cap + 1)));
    }
  }

  /**
   * Calls until it succeeds, a failure is not retryable, or {@code maxAttempts} calls failed (the
   * last failure is thrown), sleeping {@link #delay} between attempts.
   */
  public <T> T retry(int maxAttempts, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (ModelException e) {
        if (!e.retryable() || attempt >= maxAttempts) throw e;
        try {
          Thread.sleep(delay(attempt, e.retryAfter()));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
