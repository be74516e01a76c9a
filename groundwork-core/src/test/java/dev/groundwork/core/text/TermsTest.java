package dev.groundwork.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TermsTest {
  @Test
  void dropsStopWordsAndStemsInflections() {
    assertThat(Terms.of("What is the default visibility timeout of queues?")).containsExactly("default", "visibility", "timeout", Terms.stem("queue"));
    assertThat(Terms.stem("queues")).isEqualTo(Terms.stem("queue"));
    assertThat(Terms.stem("cancelled")).isEqualTo(Terms.stem("cancel"));
    assertThat(Terms.stem("called")).isEqualTo(Terms.stem("call"));
    assertThat(Terms.stem("configured")).isEqualTo(Terms.stem("configure")).isEqualTo(Terms.stem("configuring"));
    assertThat(Terms.stem("retries")).isEqualTo(Terms.stem("retry"));
    assertThat(Terms.stem("limits")).isEqualTo("limit");
  }

  @Test
  void keepsNumbersAndPossessives() {
    assertThat(Terms.of("Tidewater's port 7410")).containsExactly("tidewater", "port", "7410");
  }

  @Test
  void countsTokens() {
    assertThat(Tokens.count("Hello, world! 42")).isEqualTo(5);
    assertThat(Tokens.count("")).isZero();
  }
}
