package dev.groundwork.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");

    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    public Clock withZone(java.time.ZoneId z) {
      return this;
    }

    public Instant instant() {
      return now;
    }
  }

  @Test
  void requestsPerMinuteRefillOverTimeAndKeysAreSeparate() {
    MutableClock clock = new MutableClock();
    RateLimiter r = new RateLimiter(2, 0, clock);
    assertThat(r.acquire("a")).isNull();
    assertThat(r.acquire("a")).isNull();
    Duration wait = r.acquire("a");
    assertThat(wait).isEqualTo(Duration.ofSeconds(30)); // one request comes back every 30 s at 2/min
    assertThat(r.acquire("b")).isNull();
    clock.now = clock.now.plusSeconds(30);
    assertThat(r.acquire("a")).isNull();
  }

  @Test
  void tokensUsedHoldLaterRequestsUntilTheBucketRefills() {
    MutableClock clock = new MutableClock();
    RateLimiter r = new RateLimiter(0, 600, clock);
    assertThat(r.acquire("a")).isNull();
    r.charge("a", 1200); // twice the minute's budget: 600 below zero
    assertThat(r.acquire("a")).isEqualTo(Duration.ofMillis(60_100)); // (1 + 600) tokens at 10/s
    clock.now = clock.now.plusSeconds(61);
    assertThat(r.acquire("a")).isNull();
    assertThat(new RateLimiter(0, 0, clock).enabled()).isFalse();
  }
}
