package dev.groundwork.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key token buckets: requests per minute and model tokens per minute. A request is let through
 * while both buckets hold at least one unit; tokens used by an answer are taken afterwards (a bucket
 * may go below zero, which then holds later requests until it refills). 0 means no limit.
 * Thread-safe; the clock is injected for tests.
 */
final class RateLimiter {
  private final double requestsPerMinute;
  private final double tokensPerMinute;
  private final Clock clock;
  private final Map<String, Buckets> perKey = new ConcurrentHashMap<>();

  RateLimiter(int requestsPerMinute, int tokensPerMinute, Clock clock) {
    if (requestsPerMinute < 0 || tokensPerMinute < 0) throw new IllegalArgumentException("rate limits must be >= 0");
    this.requestsPerMinute = requestsPerMinute;
    this.tokensPerMinute = tokensPerMinute;
    this.clock = clock;
  }

  boolean enabled() {
    return requestsPerMinute > 0 || tokensPerMinute > 0;
  }

  private final class Buckets {
    double requests = requestsPerMinute;
    double tokens = tokensPerMinute;
    long lastMs = clock.millis();

    void refill() {
      long now = clock.millis();
      double minutes = (now - lastMs) / 60_000.0;
      lastMs = now;
      requests = Math.min(requestsPerMinute, requests + minutes * requestsPerMinute);
      tokens = Math.min(tokensPerMinute, tokens + minutes * tokensPerMinute);
    }
  }

  /** Takes one request for {@code key}; returns null when allowed, else how long to wait. */
  Duration acquire(String key) {
    if (!enabled()) return null;
    Buckets b = perKey.computeIfAbsent(key, k -> new Buckets());
    synchronized (b) {
      b.refill();
      double waitMin = 0;
      if (requestsPerMinute > 0 && b.requests < 1) waitMin = Math.max(waitMin, (1 - b.requests) / requestsPerMinute);
      if (tokensPerMinute > 0 && b.tokens < 1) waitMin = Math.max(waitMin, (1 - b.tokens) / tokensPerMinute);
      if (waitMin > 0) return Duration.ofMillis((long) Math.ceil(waitMin * 60_000));
      if (requestsPerMinute > 0) b.requests -= 1;
      return null;
    }
  }

  /** Charges the tokens an answer used. */
  void charge(String key, long tokens) {
    if (tokensPerMinute <= 0 || tokens <= 0) return;
    Buckets b = perKey.computeIfAbsent(key, k -> new Buckets());
    synchronized (b) {
      b.refill();
      b.tokens -= tokens;
    }
  }
}
