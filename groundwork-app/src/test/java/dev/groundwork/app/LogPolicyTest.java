package dev.groundwork.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.log.QueryLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** store.redact and store.retention_days: the query log holds no personal data it was told to drop, and nothing past its time. */
class LogPolicyTest {
  @TempDir Path root;

  static QueryLog.Entry entry(String id, Instant t, String question, String answer) {
    return new QueryLog.Entry(id, t, null, question, answer, false, "extractive", false, List.of(), List.of(), List.of(), 1, 1, 0.0, 1, null, null, null,
        null);
  }

  @Test
  void entriesAreRedactedBeforeTheyAreWrittenAndExpiredOnesPurged() throws Exception {
    Files.writeString(root.resolve("groundwork.yaml"), "store:\n  redact: [email, card]\n  retention_days: 30\n");
    Instant now = Instant.parse("2026-12-03T12:00:00Z");
    try (Project p = Project.open(root, false); QueryLog log = p.queryLog()) {
      log.record(entry("q1", now, "I am bob@example.com, card 4111 1111 1111 1111, call +1 415 555 0132", "Mail ops@example.org."));
      log.feedback(new QueryLog.Feedback("q1", "down", "Write to ops@example.org instead.", "from bob@example.com", now));
      log.record(entry("old", now.minus(Duration.ofDays(31)), "an old question", "an old answer"));
      QueryLog.Logged q1 = log.get("q1").orElseThrow();
      // the kinds listed are gone; the phone number was not listed, so it stays
      assertThat(q1.entry().question()).isEqualTo("I am [EMAIL], card [CARD], call +1 415 555 0132");
      assertThat(q1.entry().answer()).isEqualTo("Mail [EMAIL].");
      assertThat(q1.feedback().correctedAnswer()).isEqualTo("Write to [EMAIL] instead.");
      assertThat(p.applyRetention(now)).isEqualTo(1);
      assertThat(log.get("old")).isEmpty();
      assertThat(log.get("q1")).isPresent();
    }
    Files.writeString(root.resolve("groundwork.yaml"), "store:\n  redact: [emails]\n");
    assertThatThrownBy(() -> Project.open(root, false)).hasMessageContaining("store.redact").hasMessageContaining("'emails' is not a kind");
  }
}
