package dev.groundwork.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.log.DelegatingQueryLog;
import dev.groundwork.core.log.QueryLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledQueryLogTest {
  @TempDir Path tmp;

  static QueryLog.Entry entry(String id) {
    return new QueryLog.Entry(id, Instant.ofEpochMilli(1_700_000_000_123L), "key1", "what is \"x\"?\n\u00e9", "x is y [1]", false, "openai:m", true,
        List.of("doc.md#0", "doc.md#1"), List.of(0.5, 0.25), List.of("[1] doc.md"), 12, 34, null, 56, "p1", null, "{\"route\":\"r\"}", "x?");
  }

  private JdbcQueryLog sqlite() {
    return new JdbcQueryLog(JdbcStore.sqlite(tmp.resolve("log.db"), false));
  }

  private Path journal() {
    return tmp.resolve("journal");
  }

  /** The journal's segments (and files set aside), not its checkpoint. */
  private List<Path> journalFiles() throws Exception {
    try (Stream<Path> s = Files.list(journal())) {
      return s.filter(p -> !p.getFileName().toString().equals(JournaledQueryLog.CHECKPOINT)).sorted().toList();
    }
  }

  /** A database that never finishes a commit: what a process killed mid-commit looks like from outside. */
  static final class Hung extends DelegatingQueryLog {
    final CountDownLatch release = new CountDownLatch(1);

    Hung(QueryLog d) {
      super(d);
    }

    public void record(Entry e) {
      recordAll(List.of(e));
    }

    public void recordAll(List<Entry> es) {
      try {
        release.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("killed");
    }
  }

  @Test
  void everyEntryReachesTheDatabaseAndReadsSeeItAtOnce() throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try (JournaledQueryLog log = new JournaledQueryLog(sqlite(), journal(), true, Duration.ofSeconds(10), w -> {})) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String id = "q" + i;
        done.add(pool.submit(() -> log.record(entry(id))));
      }
      for (Future<?> f : done) f.get();
      // rated the moment it was answered: the read waits for the database to hold it
      log.feedback(new QueryLog.Feedback("q299", "up", null, null, Instant.now()));
      assertThat(log.pending()).isZero();
      assertThat(log.get("q299").orElseThrow().feedback().rating()).isEqualTo("up");
      assertThat(log.listAll(null, null, null, null, null)).hasSize(300);
      assertThat(log.get("q7").orElseThrow().entry()).isEqualTo(entry("q7"));
    }
    pool.shutdown();
    assertThat(journalFiles()).as("a clean close leaves no journal").isEmpty();
  }

  @Test
  void whatAKilledProcessLeftInTheJournalIsRecordedAtTheNextStart() throws Exception {
    Hung hung = new Hung(sqlite());
    JournaledQueryLog dying = new JournaledQueryLog(hung, journal(), false, Duration.ofSeconds(10), w -> {});
    for (int i = 0; i < 50; i++) dying.record(entry("k" + i)); // each returns: the client has its query_id
    assertThat(dying.pending()).isEqualTo(50);
    // the process dies here: nothing is closed or flushed
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (JournaledQueryLog next = new JournaledQueryLog(sqlite(), journal(), false, Duration.ofSeconds(10), warnings::add)) {
      for (int i = 0; i < 50; i++) assertThat(next.get("k" + i)).as("k" + i).isPresent();
      assertThat(next.get("k3").orElseThrow().entry()).isEqualTo(entry("k3"));
      assertThat(warnings).anyMatch(w -> w.contains("recorded 50 queries from the query log's journal"));
    }
    hung.release.countDown();
  }

  @Test
  void replaySkipsWhatTheDatabaseHoldsAndALineCutShortAtTheEnd() throws Exception {
    try (JdbcQueryLog db = sqlite()) {
      db.record(entry("a"));
    }
    Files.createDirectories(journal());
    byte[] b = JournaledQueryLog.encode(entry("b"));
    // a copy a killed writer never finished, the zeros of room it had taken, a whole line, and a last copy cut short
    String text = new String(JournaledQueryLog.encode(entry("a")), StandardCharsets.UTF_8) + new String(b, 0, 30, StandardCharsets.UTF_8) + "\0".repeat(50)
        + new String(b, StandardCharsets.UTF_8) + new String(b, 0, 40, StandardCharsets.UTF_8) + "\0".repeat(100);
    Files.writeString(journal().resolve("queries-000000000007.jsonl"), text);
    List<String> warnings = new ArrayList<>();
    try (JdbcQueryLog db = sqlite()) {
      assertThat(JournaledQueryLog.replay(db, journal(), warnings::add)).isEqualTo(7);
      assertThat(db.listAll(null, null, null, null, null)).extracting(l -> l.entry().id()).containsExactlyInAnyOrder("a", "b");
    }
    assertThat(journalFiles()).isEmpty();
    assertThat(warnings).containsExactly(
        "recorded 1 queries from the query log's journal that the database did not hold (the last process stopped before writing them)");
  }

  @Test
  void aDamagedLineKeepsTheFileAsideAndRecordsTheRest() throws Exception {
    Files.createDirectories(journal());
    String good = new String(JournaledQueryLog.encode(entry("g")), StandardCharsets.UTF_8);
    Path f = journal().resolve("queries-000000000001.jsonl");
    Files.writeString(f, "{not json\n" + good);
    List<String> warnings = new ArrayList<>();
    try (JdbcQueryLog db = sqlite()) {
      JournaledQueryLog.replay(db, journal(), warnings::add);
      assertThat(db.get("g")).isPresent();
    }
    assertThat(journalFiles()).containsExactly(journal().resolve("queries-000000000001.jsonl.corrupt"));
    assertThat(warnings).anyMatch(w -> w.contains(f.toString()) && w.contains("byte 0") && w.contains(".corrupt"));
  }

  @Test
  void aStalledDatabaseDoesNotHoldUpAnswersAndCatchesUpLater() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (JournaledQueryLog log = new JournaledQueryLog(new DelegatingQueryLog(sqlite()) {
      public void record(Entry e) {
        recordAll(List.of(e));
      }

      public void recordAll(List<Entry> es) {
        if (warnings.isEmpty()) throw new IllegalStateException("database is locked"); // until the log has said so once
        delegate.recordAll(es);
      }
    }, journal(), false, Duration.ofSeconds(10), warnings::add)) {
      log.record(entry("s1"));
      log.record(entry("s2"));
      assertThat(log.get("s2")).isPresent();
      assertThat(warnings.get(0)).contains("database is locked").contains("safe in the journal");
      assertThat(warnings).contains("the query log's database is taking entries again");
    }
  }

  @Test
  void segmentsRotateAndGoOnceTheDatabaseHoldsThem() throws Exception {
    try (JournaledQueryLog log = new JournaledQueryLog(sqlite(), journal(), true, Duration.ofSeconds(10), w -> {}, 2000)) {
      for (int i = 0; i < 100; i++) log.record(entry("r" + i));
      assertThat(log.listAll(null, null, null, null, null)).hasSize(100);
      log.record(entry("last")); // the writer deletes committed segments after each batch
      assertThat(log.get("last")).isPresent();
      List<Path> left = journalFiles();
      assertThat(left).as("only the segment being written is left").hasSize(1);
      assertThat(holdsSomething(left.get(0))).as("and it holds the last entry").isTrue();
    }
    assertThat(journalFiles()).as("a clean close leaves no segment").isEmpty();
  }

  private static boolean holdsSomething(Path segment) {
    try {
      for (byte b : Files.readAllBytes(segment)) if (b != 0) return true;
      return false;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aPurgeDropsTheJournalsCopySoAReplayCannotBringItBack() throws Exception {
    JournaledQueryLog log = new JournaledQueryLog(sqlite(), journal(), false, Duration.ofSeconds(10), w -> {});
    log.record(entry("secret"));
    assertThat(log.purge(new QueryLog.Purge("secret", null, null))).isEqualTo(1);
    // killed without a close: the next start replays whatever the journal still holds
    try (JournaledQueryLog next = new JournaledQueryLog(sqlite(), journal(), false, Duration.ofSeconds(10), w -> {})) {
      assertThat(next.get("secret")).isEmpty();
    }
  }

  @Test
  void whatTheDatabaseHeldOnceIsNotReplayedSoAPurgeFromAnotherProcessSticks() throws Exception {
    JournaledQueryLog log = new JournaledQueryLog(sqlite(), journal(), false, Duration.ofSeconds(10), w -> {});
    log.record(entry("gone"));
    log.record(entry("kept"));
    assertThat(log.get("kept")).isPresent(); // the database holds both, and the checkpoint says so
    try (JdbcQueryLog cli = sqlite()) { // `groundwork log purge` opens the database itself
      assertThat(cli.purge(new QueryLog.Purge("gone", null, null))).isEqualTo(1);
    }
    // the server is killed later, with both entries still in its journal segment
    try (JournaledQueryLog next = new JournaledQueryLog(sqlite(), journal(), false, Duration.ofSeconds(10), w -> {})) {
      assertThat(next.get("gone")).isEmpty();
      assertThat(next.get("kept")).isPresent();
    }
  }

  @Test
  void segmentsAfterAnOldCheckpointAreStillReplayed() throws Exception {
    try (JournaledQueryLog first = new JournaledQueryLog(sqlite(), journal(), false, Duration.ofSeconds(10), w -> {}, 2000)) {
      for (int i = 0; i < 40; i++) first.record(entry("f" + i)); // several segments: the checkpoint's number grows past 1
      assertThat(first.get("f39")).isPresent();
    } // a clean stop deletes every segment and keeps the checkpoint
    Hung hung = new Hung(sqlite());
    JournaledQueryLog dying = new JournaledQueryLog(hung, journal(), false, Duration.ofSeconds(10), w -> {});
    dying.record(entry("late")); // answered, then the process is killed before the database has it
    try (JdbcQueryLog db = sqlite()) {
      JournaledQueryLog.replay(db, journal(), w -> {});
      assertThat(db.get("late")).isPresent();
    }
    hung.release.countDown();
  }

  @Test
  void aClosedLogRefusesNewEntries() {
    JournaledQueryLog log = new JournaledQueryLog(sqlite(), journal(), false, Duration.ofSeconds(10), w -> {});
    log.close();
    assertThatThrownBy(() -> log.record(entry("late"))).hasMessageContaining("closed").hasMessageContaining("late");
  }
}
