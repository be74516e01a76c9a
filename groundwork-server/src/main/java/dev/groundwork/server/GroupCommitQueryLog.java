package dev.groundwork.server;

import dev.groundwork.core.log.QueryLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A query log whose {@link #record} returns only once the entry is committed, so that an answer's
 * row is durable before its response (and its {@code query_id}) is sent: it survives {@code kill -9},
 * and with SQLite's {@code synchronous=FULL} a power loss too. One writer thread commits whatever
 * has queued up while the previous commit ran, in one transaction (group commit): under load many
 * answers share one sync to disk, and alone an answer waits for one commit only. Each caller waits on
 * its own batch, so a commit wakes exactly the callers it wrote.
 *
 * <p>A write that fails fails every caller of its batch (with the store's error), and a commit that
 * takes longer than the bounded wait fails its callers too: a client never gets a {@code query_id}
 * that is not in the log. Thread-safe.
 */
public final class GroupCommitQueryLog extends dev.groundwork.core.log.DelegatingQueryLog {
  /** Entries that go to the store in one transaction, and the callers waiting for it. */
  private static final class Batch {
    final List<Entry> entries = new ArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    volatile RuntimeException error;
  }

  private final long maxWaitNanos;
  private final Thread writer;
  private final Object lock = new Object();
  /** The batch now filling; the writer takes it whole. Guarded by {@link #lock}. */
  private Batch filling = new Batch();
  private boolean closing;

  /** @param maxWait how long a caller waits for its commit before the request fails */
  public GroupCommitQueryLog(QueryLog delegate, Duration maxWait) {
    super(delegate);
    this.maxWaitNanos = maxWait.toNanos();
    this.writer = Thread.ofPlatform().daemon().name("groundwork-query-log").start(this::run);
  }

  private void run() {
    while (true) {
      Batch batch;
      synchronized (lock) {
        while (filling.entries.isEmpty() && !closing) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (filling.entries.isEmpty()) return; // closing, nothing left
        batch = filling;
        filling = new Batch();
      }
      try {
        delegate.recordAll(batch.entries);
      } catch (RuntimeException e) {
        batch.error = e;
      }
      batch.done.countDown();
    }
  }

  /**
   * Returns once {@code e} is committed.
   *
   * @throws IllegalStateException when the write failed, took longer than the bounded wait, or the
   *     log is closed
   */
  @Override
  public void record(Entry e) {
    Batch mine;
    synchronized (lock) {
      if (closing) throw new IllegalStateException("the query log is closed; " + e.id() + " was not recorded");
      mine = filling;
      mine.entries.add(e);
      if (mine.entries.size() == 1) lock.notify(); // the writer waits only while nothing is queued
    }
    try {
      if (!mine.done.await(maxWaitNanos, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("the query log did not commit " + e.id() + " within " + maxWaitNanos / 1_000_000 + " ms");
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording " + e.id(), ex);
    }
    RuntimeException error = mine.error;
    if (error != null) throw new IllegalStateException("the query log could not record " + e.id() + ": " + error.getMessage(), error);
  }

  @Override
  public void recordAll(List<Entry> entries) {
    for (Entry e : entries) record(e);
  }

  /** Commits what is queued, then closes the store. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delegate.close();
  }
}
