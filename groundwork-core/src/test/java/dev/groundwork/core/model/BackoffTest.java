package dev.groundwork.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), 1);

  @Test
  void retriesRetryableFailuresUpToTheLimitAndThrowsTheLast() {
    AtomicInteger calls = new AtomicInteger();
    String r = backoff.retry(3, () -> {
      if (calls.incrementAndGet() < 3) throw new ModelException("m", ModelException.Kind.RATE_LIMITED, "slow down", Duration.ZERO, null);
      return "ok";
    });
    assertThat(r).isEqualTo("ok");
    assertThat(calls).hasValue(3);

    calls.set(0);
    assertThatThrownBy(() -> backoff.retry(2, () -> {
      throw new ModelException("m", ModelException.Kind.SERVER_ERROR, "boom " + calls.incrementAndGet());
    })).hasMessageContaining("boom 2");
  }

  @Test
  void aFailureThatIsNotRetryableIsThrownAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> backoff.retry(5, () -> {
      calls.incrementAndGet();
      throw new ModelException("m", ModelException.Kind.AUTHENTICATION, "bad key");
    })).isInstanceOf(ModelException.class);
    assertThat(calls).hasValue(1);
    assertThat(backoff.delay(1, Duration.ofMinutes(1))).isEqualTo(Duration.ofMillis(5)); // Retry-After capped
  }
}
