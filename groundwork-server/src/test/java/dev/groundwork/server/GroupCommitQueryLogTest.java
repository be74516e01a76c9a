package dev.groundwork.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.log.QueryLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitQueryLogTest {
  /** Keeps entries in memory; each commit takes {@code commitMs}, and a batch holding id "bad" fails whole. */
  static final class SlowLog implements QueryLog {
    final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger commits = new AtomicInteger();
    final long commitMs;
    boolean closed;

    SlowLog(long commitMs) {
      this.commitMs = commitMs;
    }

    public void record(Entry e) {
      recordAll(List.of(e));
    }

    public void recordAll(List<Entry> batch) {
      try {
        Thread.sleep(commitMs);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      if (batch.stream().anyMatch(e -> e.id().equals("bad"))) throw new IllegalStateException("disk full");
      commits.incrementAndGet();
      entries.addAll(batch);
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

  static QueryLog.Entry entry(String id) {
    return new QueryLog.Entry(id, Instant.EPOCH, null, "q", "a", false, "m", false, List.of(), List.of(), List.of(), 0, 0, 0.0, 1, null, null);
  }

  @Test
  void recordReturnsOnlyOnceTheEntryIsCommitted() {
    SlowLog store = new SlowLog(30);
    try (GroupCommitQueryLog log = new GroupCommitQueryLog(store, Duration.ofSeconds(10))) {
      for (int i = 0; i < 5; i++) {
        log.record(entry("q" + i));
        assertThat(store.entries).extracting(QueryLog.Entry::id).contains("q" + i);
      }
    }
    assertThat(store.closed).isTrue();
  }

  @Test
  void concurrentAnswersShareCommits() throws Exception {
    SlowLog store = new SlowLog(20);
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try (GroupCommitQueryLog log = new GroupCommitQueryLog(store, Duration.ofSeconds(30))) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String id = "q" + i;
        done.add(pool.submit(() -> log.record(entry(id))));
      }
      for (Future<?> f : done) f.get();
    }
    pool.shutdown();
    assertThat(store.entries).hasSize(300);
    // one commit per answer would take 300 x 20 ms; batches take a handful
    assertThat(store.commits.get()).isLessThan(60);
  }

  @Test
  void aFailedOrLateCommitFailsItsCallersInsteadOfLosingTheRowQuietly() {
    SlowLog store = new SlowLog(5);
    try (GroupCommitQueryLog log = new GroupCommitQueryLog(store, Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> log.record(entry("bad"))).hasMessageContaining("could not record bad").hasMessageContaining("disk full");
      log.record(entry("good"));
      assertThat(store.entries).extracting(QueryLog.Entry::id).containsExactly("good");
    }
    SlowLog slow = new SlowLog(2000);
    GroupCommitQueryLog log = new GroupCommitQueryLog(slow, Duration.ofMillis(100));
    assertThatThrownBy(() -> log.record(entry("late"))).hasMessageContaining("within 100 ms");
    log.close();
    assertThatThrownBy(() -> log.record(entry("after"))).hasMessageContaining("closed");
  }
}
