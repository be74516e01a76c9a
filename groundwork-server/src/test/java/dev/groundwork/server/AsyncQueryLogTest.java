package dev.groundwork.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.log.QueryLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AsyncQueryLogTest {
  /** Keeps entries in memory, slowly, to let the queue fill. */
  static final class SlowLog implements QueryLog {
    final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());
    boolean closed;

    public void record(Entry e) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      entries.add(e);
    }

    public void feedback(Feedback f) {}

    public List<Logged> list(Query q) {
      return entries.stream().map(e -> new Logged(e, null)).toList();
    }

    public Optional<Logged> get(String id) {
      return Optional.empty();
    }

    public void close() {
      closed = true;
    }
  }

  static QueryLog.Entry entry(int i) {
    return new QueryLog.Entry("q" + i, Instant.EPOCH, null, "q", "a", false, "m", false, List.of(), List.of(), List.of(), 0, 0, 0.0, 1, null, null);
  }

  @Test
  void nothingIsDroppedWhenTheQueueIsFullAndReadsSeeEveryWrite() {
    SlowLog slow = new SlowLog();
    AsyncQueryLog log = new AsyncQueryLog(slow, 4);
    for (int i = 0; i < 50; i++) log.record(entry(i));
    assertThat(log.list(QueryLog.Query.latest(100))).hasSize(50);
    for (int i = 50; i < 60; i++) log.record(entry(i));
    log.close();
    assertThat(slow.entries).hasSize(60);
    assertThat(slow.closed).isTrue();
  }
}
