package dev.groundwork.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.log.DelegatingQueryLog;
import dev.groundwork.core.log.QueryLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A query log whose {@link #record} returns once the entry is in a write-ahead journal file, before
 * the database has it: an answer's row is durable before its response (and its {@code query_id}) is
 * sent, without waiting for a database commit. The journal is a file mapped into memory: an append
 * copies the line into the operating system's page cache (no system call, no lock held across I/O),
 * which outlives {@code kill -9} of the process; with {@code fsync} the caller also waits for the
 * file's sync to disk (shared by every caller that arrived meanwhile), which outlives a power loss.
 * A writer thread then copies entries to the database in batches (one transaction each, retried
 * while the database is busy or locked), and deletes a journal segment once the database holds all
 * of it. On start, {@link #replay} puts what a killed process left in the
 * journal into the database (entries already there are skipped), so nothing a client was told is
 * lost.
 *
 * <p>Reads (list, get, feedback, purge) first wait until the database holds every entry recorded
 * before them, so an answer can be rated the moment it is sent. After each batch the writer records
 * in a {@link #CHECKPOINT} how far the database has taken the journal, and a replay starts there: a
 * row purged after it reached the database (here, or by another process) does not come back. A purge
 * here also starts a new segment, so the purged rows' copies go once the database holds the rest.
 * Thread-safe.
 */
public final class JournaledQueryLog extends DelegatingQueryLog {
  /** A segment is closed and a new one begun once it holds this many bytes. */
  static final long SEGMENT_BYTES = 4L << 20;
  /** Entries recorded but not yet in the database beyond which {@link #record} waits (a stalled database). */
  private static final int MAX_PENDING = 200_000;
  /** How long the writer lets entries gather before a transaction, and the most one takes. */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int MAX_BATCH = 5_000;
  private static final String PREFIX = "queries-";
  /**
   * 16 bytes: a segment number, then an offset in it. Every entry in an earlier segment, and every
   * entry of that segment before the offset, was in the database once, so a replay leaves them out
   * even when they are no longer there: a purge deleted them.
   */
  static final String CHECKPOINT = "checkpoint";
  private static final String SUFFIX = ".jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One journal file, mapped into memory: an append is a copy into the operating system's page cache, with no system call. */
  private static final class Segment {
    final long seq;
    final Path path;
    final FileChannel channel;
    final MappedByteBuffer map;
    /** Bytes written so far; the rest of the file is zeros. */
    int bytes;

    Segment(long seq, Path path, long capacity) throws IOException {
      this.seq = seq;
      this.path = path;
      this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
      this.map = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity); // the file grows to capacity, sparse
      // touch every page now, so that no answer pays a page fault on its copy (measured: about 10 us
      // of CPU per answer at 2,500 answers a second); a segment is new, so nothing is overwritten
      for (int i = 0; i < capacity; i += 4096) map.put(i, (byte) 0);
    }
  }

  /** @param seq its segment @param end where its line ends in that segment */
  private record Pending(Entry entry, long seq, int end) {}

  /** Callers waiting for one sync to disk. */
  private static final class SyncBatch {
    final CountDownLatch done = new CountDownLatch(1);
    boolean used;
    volatile Throwable error;
  }

  private final Path dir;
  private final boolean fsync;
  private final long maxWaitNanos;
  private final Consumer<String> warnings;
  private final long segmentBytes;

  private final Object appendLock = new Object();
  private Segment active; // guarded by appendLock
  /** Segments no longer appended to; each is deleted once the database holds all of it. Guarded by appendLock. */
  private final List<Segment> retired = new ArrayList<>();
  /** Where the database's copy of the journal ends: a segment, and an offset in it. Guarded by appendLock. */
  private long committedSeq;
  private int committedEnd;
  private long nextSeq; // guarded by appendLock
  private volatile boolean closed; // written under appendLock

  private final Object queueLock = new Object();
  private List<Pending> queue = new ArrayList<>(); // guarded by queueLock
  private long enqueued; // guarded by queueLock
  private long committed; // guarded by queueLock
  private boolean closing; // guarded by queueLock
  private int readersWaiting; // guarded by queueLock

  private final Object syncLock = new Object();
  private SyncBatch filling = new SyncBatch(); // guarded by syncLock

  private final Thread writer;
  private final Thread syncer;
  /** {@link #CHECKPOINT}, mapped: the segment and the offset up to which the database holds the journal. */
  private MappedByteBuffer checkpoint;

  /**
   * Replays what the journal in {@code dir} holds into {@code delegate}, then journals new entries there.
   *
   * @param fsync wait for a sync to disk before {@link #record} returns (survives a power loss), not
   *     only for the write (survives the process being killed)
   * @param maxWait how long {@link #record} may wait (for a sync, or for a stalled database to take
   *     entries) and how long reads wait for the database to catch up
   * @param warnings where a stalled database or a damaged journal is reported
   */
  public JournaledQueryLog(QueryLog delegate, Path dir, boolean fsync, Duration maxWait, Consumer<String> warnings) {
    this(delegate, dir, fsync, maxWait, warnings, SEGMENT_BYTES);
  }

  JournaledQueryLog(QueryLog delegate, Path dir, boolean fsync, Duration maxWait, Consumer<String> warnings, long segmentBytes) {
    super(delegate);
    this.segmentBytes = segmentBytes;
    this.dir = dir;
    this.fsync = fsync;
    this.maxWaitNanos = maxWait.toNanos();
    this.warnings = warnings;
    try {
      Files.createDirectories(dir);
      nextSeq = replay(delegate, dir, warnings) + 1;
      checkpoint = openCheckpoint(dir);
      active = new Segment(nextSeq, segmentPath(nextSeq++), segmentBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the query log's journal in " + dir + ": " + e.getMessage(), e);
    }
    writer = Thread.ofPlatform().daemon().name("groundwork-query-log").start(this::writeLoop);
    syncer = fsync ? Thread.ofPlatform().daemon().name("groundwork-query-log-sync").start(this::syncLoop) : null;
  }

  /**
   * Puts every entry the journal in {@code dir} holds, and the database does not, into {@code log},
   * then deletes the journal's files. A line cut short by the file's end or by zeros (a copy the
   * process did not finish, so no client was answered) is skipped; a file with a damaged line
   * elsewhere keeps its readable lines and is moved aside as {@code .corrupt}, with a warning. Entries before the
   * {@link #CHECKPOINT} are left out: the database had them, and one it lacks now was purged. Returns
   * the highest segment number seen, the checkpoint's included (0 when none).
   */
  public static long replay(QueryLog log, Path dir, Consumer<String> warnings) throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> seqOf(p) >= 0).sorted(java.util.Comparator.comparingLong(JournaledQueryLog::seqOf)).toList();
    }
    long cpSeq = 0;
    long cpOffset = 0;
    Path cp = dir.resolve(CHECKPOINT);
    if (Files.isRegularFile(cp) && Files.size(cp) == 16) {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(cp));
      cpSeq = b.getLong(0);
      cpOffset = b.getLong(8);
    }
    long maxSeq = cpSeq;
    int replayed = 0;
    for (Path f : files) {
      long seq = seqOf(f);
      maxSeq = Math.max(maxSeq, seq);
      if (seq < cpSeq) { // the database held all of it: what is missing now was purged
        Files.delete(f);
        continue;
      }
      byte[] bytes = Files.readAllBytes(f);
      List<Entry> missing = new ArrayList<>();
      String damage = null;
      for (int start = seq == cpSeq ? (int) Math.min(bytes.length, Math.max(0, cpOffset)) : 0; start < bytes.length; ) {
        if (bytes[start] == 0) { // unwritten: the file's zero tail, or room a killed writer had taken
          start++;
          continue;
        }
        int end = start;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != 0) end++;
        if (end < bytes.length && bytes[end] == '\n') {
          try {
            Entry e = decode(new String(bytes, start, end - start, StandardCharsets.UTF_8));
            if (log.get(e.id()).isEmpty()) missing.add(e);
          } catch (IOException | RuntimeException e) {
            if (damage == null) damage = "byte " + start + ": " + e.getMessage();
          }
        } // else cut short by the end of the file or by zeros: a copy a killed process never finished, so never acknowledged
        start = end + 1;
      }
      for (int i = 0; i < missing.size(); i += 500) log.recordAll(missing.subList(i, Math.min(missing.size(), i + 500)));
      replayed += missing.size();
      if (damage != null) {
        Path aside = f.resolveSibling(f.getFileName() + ".corrupt");
        Files.move(f, aside, StandardCopyOption.REPLACE_EXISTING);
        warnings.accept("the query log's journal " + f + " is damaged (" + damage + "); its readable entries were recorded and the file was kept as " + aside);
      } else {
        Files.delete(f);
      }
    }
    if (replayed > 0) warnings.accept("recorded " + replayed + " queries from the query log's journal that the database did not hold (the last process stopped before writing them)");
    return maxSeq;
  }

  /** Whether {@code dir} holds journal segments for {@link #replay} (a checkpoint alone is nothing to replay). */
  public static boolean hasSegments(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> seqOf(p) >= 0);
    }
  }

  @Override
  public void record(Entry e) {
    byte[] line = encode(e);
    long deadline = System.nanoTime() + maxWaitNanos;
    synchronized (queueLock) {
      while (enqueued - committed >= MAX_PENDING && !closing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IllegalStateException("the query log's database has not taken entries for " + maxWaitNanos / 1_000_000 + " ms; " + e.id() + " was not recorded");
        waitOn(queueLock, left);
      }
    }
    SyncBatch mine = null;
    synchronized (appendLock) {
      if (closed) throw new IllegalStateException("the query log is closed; " + e.id() + " was not recorded");
      try {
        if (active.bytes + line.length > active.map.capacity()) rotate(line.length);
      } catch (IOException ex) {
        throw new IllegalStateException("the query log could not start a journal segment for " + e.id() + " in " + dir + ": " + ex.getMessage(), ex);
      }
      active.map.put(active.bytes, line);
      active.bytes += line.length;
      synchronized (queueLock) {
        queue.add(new Pending(e, active.seq, active.bytes));
        enqueued++;
        if (queue.size() == 1) queueLock.notifyAll();
      }
      if (fsync) {
        synchronized (syncLock) {
          mine = filling;
          if (!mine.used) {
            mine.used = true;
            syncLock.notifyAll();
          }
        }
      }
    }
    if (mine != null) awaitSync(mine, e.id());
  }

  @Override
  public void recordAll(List<Entry> entries) {
    for (Entry e : entries) record(e);
  }

  @Override
  public void feedback(Feedback f) {
    awaitCommitted();
    delegate.feedback(f);
  }

  @Override
  public List<Logged> list(Query q) {
    awaitCommitted();
    return delegate.list(q);
  }

  @Override
  public Optional<Logged> get(String id) {
    awaitCommitted();
    return delegate.get(id);
  }

  @Override
  public int purge(Purge p) {
    awaitCommitted();
    synchronized (appendLock) {
      try {
        if (!closed) rotate(0); // the journal's copies of what is deleted go as soon as the database holds the rest
      } catch (IOException e) {
        throw new IllegalStateException("cannot start a new journal segment in " + dir + ": " + e.getMessage(), e);
      }
    }
    return delegate.purge(p);
  }

  /** Writes what is queued to the database, deletes the journal it no longer needs, then closes the database. */
  @Override
  public void close() {
    synchronized (appendLock) {
      if (closed) return;
      closed = true;
    }
    synchronized (queueLock) {
      closing = true;
      queueLock.notifyAll();
    }
    synchronized (syncLock) {
      syncLock.notifyAll();
    }
    join(writer);
    if (syncer != null) join(syncer);
    synchronized (appendLock) {
      try {
        retired.add(active);
        deleteCommitted();
      } catch (IOException e) {
        warnings.accept("could not delete the query log's journal in " + dir + ": " + e.getMessage());
      }
    }
    delegate.close();
  }

  /** Entries recorded but not yet in the database (for tests and metrics). */
  public long pending() {
    synchronized (queueLock) {
      return enqueued - committed;
    }
  }

  private void writeLoop() {
    long backoffMs = 20;
    boolean warned = false;
    while (true) {
      List<Pending> batch;
      synchronized (queueLock) {
        while (queue.isEmpty() && !closing) waitOn(queueLock, Long.MAX_VALUE);
        if (queue.isEmpty()) return;
        // linger, so that one transaction takes many entries (the journal holds them meanwhile),
        // unless a reader is waiting for them or the log is closing
        long until = System.nanoTime() + LINGER_NANOS;
        for (long left = LINGER_NANOS; left > 0 && !closing && readersWaiting == 0 && queue.size() < MAX_BATCH; left = until - System.nanoTime()) {
          waitOn(queueLock, left);
        }
        batch = queue;
        queue = new ArrayList<>();
      }
      List<Entry> entries = new ArrayList<>(batch.size());
      for (Pending p : batch) entries.add(p.entry());
      long giveUpAt = Long.MAX_VALUE;
      while (true) {
        try {
          delegate.recordAll(entries);
          if (warned) warnings.accept("the query log's database is taking entries again");
          warned = false;
          backoffMs = 20;
          break;
        } catch (RuntimeException ex) {
          if (!warned) warnings.accept("the query log's database did not take " + entries.size() + " entries (" + ex.getMessage()
              + "); they are safe in the journal in " + dir + ", retrying");
          warned = true;
          boolean stopping;
          synchronized (queueLock) {
            stopping = closing;
          }
          if (stopping && giveUpAt == Long.MAX_VALUE) giveUpAt = System.nanoTime() + maxWaitNanos;
          if (System.nanoTime() > giveUpAt) {
            warnings.accept("stopping with " + entries.size() + " entries not in the database; they stay in the journal and are recorded at the next start");
            return;
          }
          sleep(backoffMs);
          backoffMs = Math.min(1000, backoffMs * 2);
        }
      }
      // the database holds every entry up to here (entries reach it in the order they were appended)
      Pending last = batch.get(batch.size() - 1);
      synchronized (appendLock) {
        committedSeq = last.seq();
        committedEnd = last.end();
        try {
          deleteCommitted();
        } catch (IOException e) {
          warnings.accept("could not delete a query log journal segment in " + dir + ": " + e.getMessage());
        }
      }
      checkpoint.putLong(8, last.end());
      java.lang.invoke.VarHandle.releaseFence(); // the offset first: a torn pair then only understates (see replay)
      checkpoint.putLong(0, last.seq());
      synchronized (queueLock) {
        committed += batch.size();
        queueLock.notifyAll();
      }
    }
  }

  private void syncLoop() {
    while (true) {
      SyncBatch batch;
      synchronized (syncLock) {
        while (!filling.used) {
          if (closed) return; // not under appendLock: record() takes syncLock while holding it
          waitOn(syncLock, TimeUnit.MILLISECONDS.toNanos(200));
        }
        batch = filling;
        filling = new SyncBatch();
      }
      MappedByteBuffer map;
      synchronized (appendLock) {
        map = active.map; // everything the batch wrote is in it, or in a segment synced when it was retired
      }
      try {
        map.force();
      } catch (UncheckedIOException e) {
        batch.error = e.getCause();
      }
      batch.done.countDown();
    }
  }

  private void awaitSync(SyncBatch mine, String id) {
    try {
      if (!mine.done.await(maxWaitNanos, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("the query log's journal did not sync " + id + " to disk within " + maxWaitNanos / 1_000_000 + " ms");
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording " + id, ex);
    }
    if (mine.error != null) throw new IllegalStateException("the query log could not sync its journal for " + id + ": " + mine.error.getMessage(), mine.error);
  }

  /** Waits (bounded) until the database holds every entry recorded before this call. */
  private void awaitCommitted() {
    long deadline = System.nanoTime() + maxWaitNanos;
    synchronized (queueLock) {
      long target = enqueued;
      if (committed >= target) return;
      readersWaiting++;
      queueLock.notifyAll(); // the writer stops lingering
      try {
        while (committed < target) {
          long left = deadline - System.nanoTime();
          if (left <= 0) throw new IllegalStateException("the query log's database is " + (target - committed) + " entries behind; try again shortly");
          waitOn(queueLock, left);
        }
      } finally {
        readersWaiting--;
      }
    }
  }

  /** Starts a new segment with room for at least {@code need} bytes (syncing the old one first when syncing). Holds appendLock. */
  private void rotate(int need) throws IOException {
    if (fsync) active.map.force();
    retired.add(active);
    active = new Segment(nextSeq, segmentPath(nextSeq++), Math.max(segmentBytes, need));
    deleteCommitted();
  }

  /** Deletes retired segments the database holds entirely (or that hold nothing). Holds appendLock. */
  private void deleteCommitted() throws IOException {
    for (var it = retired.iterator(); it.hasNext(); ) {
      Segment s = it.next();
      boolean held = s.seq < committedSeq || (s.seq == committedSeq && committedEnd >= s.bytes) || s.bytes == 0;
      if (!held) continue;
      s.channel.close();
      Files.deleteIfExists(s.path);
      it.remove();
    }
  }

  private static MappedByteBuffer openCheckpoint(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir.resolve(CHECKPOINT), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return ch.map(FileChannel.MapMode.READ_WRITE, 0, 16); // kept valid after the channel closes
    }
  }

  private Path segmentPath(long seq) {
    return dir.resolve(PREFIX + String.format("%012d", seq) + SUFFIX);
  }

  private static long seqOf(Path p) {
    String n = p.getFileName().toString();
    if (!n.startsWith(PREFIX) || !n.endsWith(SUFFIX)) return -1;
    try {
      return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One entry as one line of JSON, newline included. */
  static byte[] encode(Entry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", e.id());
      g.writeNumberField("time_ms", e.time().toEpochMilli());
      g.writeStringField("key_id", e.keyId());
      g.writeStringField("question", e.question());
      g.writeStringField("answer", e.answer());
      g.writeBooleanField("refused", e.refused());
      g.writeStringField("model", e.model());
      g.writeBooleanField("fallback", e.fallback());
      g.writeArrayFieldStart("retrieved");
      for (String s : e.retrieved()) g.writeString(s);
      g.writeEndArray();
      g.writeArrayFieldStart("scores");
      for (double d : e.scores()) g.writeNumber(d);
      g.writeEndArray();
      g.writeArrayFieldStart("citations");
      for (String s : e.citations()) g.writeString(s);
      g.writeEndArray();
      g.writeNumberField("input_tokens", e.inputTokens());
      g.writeNumberField("output_tokens", e.outputTokens());
      if (e.costUsd() == null) g.writeNullField("cost_usd");
      else g.writeNumberField("cost_usd", e.costUsd());
      g.writeNumberField("latency_ms", e.latencyMs());
      g.writeStringField("prompt_version", e.promptVersion());
      g.writeStringField("error", e.error());
      g.writeStringField("route", e.route());
      g.writeStringField("rewritten_query", e.rewrittenQuery());
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    out.write('\n');
    return out.toByteArray();
  }

  static Entry decode(String line) throws IOException {
    JsonNode n = JSON.readTree(line);
    if (n == null || !n.isObject() || !n.path("id").isTextual() || !n.path("time_ms").isIntegralNumber()) {
      throw new IOException("not a query log entry");
    }
    List<String> retrieved = new ArrayList<>();
    n.path("retrieved").forEach(x -> retrieved.add(x.asText()));
    List<Double> scores = new ArrayList<>();
    n.path("scores").forEach(x -> scores.add(x.asDouble()));
    List<String> citations = new ArrayList<>();
    n.path("citations").forEach(x -> citations.add(x.asText()));
    return new Entry(n.get("id").asText(), Instant.ofEpochMilli(n.get("time_ms").asLong()), text(n, "key_id"), text(n, "question"), text(n, "answer"),
        n.path("refused").asBoolean(), text(n, "model"), n.path("fallback").asBoolean(), retrieved, scores, citations, n.path("input_tokens").asLong(),
        n.path("output_tokens").asLong(), n.path("cost_usd").isNumber() ? n.get("cost_usd").asDouble() : null, n.path("latency_ms").asLong(),
        text(n, "prompt_version"), text(n, "error"), text(n, "route"), text(n, "rewritten_query"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void waitOn(Object lock, long nanos) {
    try {
      TimeUnit.NANOSECONDS.timedWait(lock, Math.min(nanos, TimeUnit.SECONDS.toNanos(1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t) {
    try {
      t.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
