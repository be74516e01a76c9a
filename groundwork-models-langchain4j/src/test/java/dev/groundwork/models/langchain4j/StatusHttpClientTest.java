package dev.groundwork.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatusHttpClientTest {
  @Test
  void thePinnedConnectTimeoutSurvivesLangChain4jSettingItsOwn() {
    StatusHttpClient.Builder b = StatusHttpClient.builder(Duration.ofSeconds(3));
    b.connectTimeout(Duration.ofSeconds(120)).readTimeout(Duration.ofSeconds(120)); // what a LangChain4j model builder does
    assertThat(b.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(b.readTimeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    assertThat(HttpStatusException.parseRetryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
    assertThat(HttpStatusException.parseRetryAfter("Wed, 25 Nov 2026 10:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
    assertThat(HttpStatusException.parseRetryAfter("soon", clock)).isNull();
  }
}
