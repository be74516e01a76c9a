package dev.groundwork.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryIdTest {
  @Test
  void idsMadeLaterSortLaterSoTheLogsPrimaryKeyGrowsAtItsEnd() {
    long t = Instant.parse("2026-12-04T19:00:00Z").toEpochMilli();
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) made.add(QueryRecorder.newQueryId(t + i));
    List<String> sorted = new ArrayList<>(made);
    sorted.sort(null);
    assertThat(sorted).isEqualTo(made);
    assertThat(made).allMatch(id -> id.matches("q_[0-9a-f]{20}"));
    // the time is in the first 11 digits
    assertThat(Long.parseLong(made.get(0).substring(2, 13), 16)).isEqualTo(t);
  }

  @Test
  void idsMadeInTheSameMillisecondStillDiffer() {
    long t = Instant.parse("2026-12-04T19:00:00Z").toEpochMilli();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) ids.add(QueryRecorder.newQueryId(t));
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void theTimePartHoldsUntilTheYear2527() {
    long late = Instant.parse("2527-01-01T00:00:00Z").toEpochMilli();
    String id = QueryRecorder.newQueryId(late);
    assertThat(Long.parseLong(id.substring(2, 13), 16)).isEqualTo(late);
    assertThat(QueryRecorder.newQueryId(late - 1).compareTo(id)).isNegative();
  }
}
