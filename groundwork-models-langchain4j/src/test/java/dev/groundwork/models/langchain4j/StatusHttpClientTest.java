package dev.groundwork.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusHttpClientTest {
  @Test
  void thePinnedConnectTimeoutSurvivesLangChain4jSettingItsOwn() {
    StatusHttpClient.Builder b = StatusHttpClient.builder(Duration.ofSeconds(3), java.util.Map.of());
    b.connectTimeout(Duration.ofSeconds(120)).readTimeout(Duration.ofSeconds(120)); // what a LangChain4j model builder does
    assertThat(b.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(b.readTimeout()).isEqualTo(Duration.ofSeconds(120));
  }
}
