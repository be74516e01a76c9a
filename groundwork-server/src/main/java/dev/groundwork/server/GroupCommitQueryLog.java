package dev.groundwork.server;

import dev.groundwork.core.log.QueryLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A query log whose {@link #record} returns only once the entry is committed, so that an answer's
 * row is durable before its response (and its {@code query_id}) is sent: it survives {@code kill -9},
 * and with SQLite's {@code synchronous=FULL} a power loss too. One writer thread commits whatever
 * has queued up while the previous commit ran, in one transaction (group commit): under load many
 * answers share one sync to disk, and alone an answer waits for one commit only.
 *
 * <p>A write that fails fails every caller of its batch (with the store's error), and a commit that
 * takes longer than the bounded wait fails its callers too: a client never gets a {@code query_id}
 * that is not in the log. Thread-safe.
 */
public final class GroupCommitQueryLog implements QueryLog {
  /** Most entries one transaction takes. */
  static final int MAX_BATCH = 512;
  private final QueryLog delegate;
  private final long maxWaitNanos;
  private final Thread writer;
  private final Object lock = new Object();
  private List<Entry> queued = new ArrayList<>();
  /** Sequence numbers: entries enqueued so far, and entries whose batch finished (committed or failed). */
  private long enqueued;
  private long finished;
  /** The error of each failed batch, by the sequence range it covered. */
  private final List<Failure> failures = new ArrayList<>();
  private boolean closing;

  private record Failure(long from, long to, RuntimeException error) {}

  /** @param maxWait how long a caller waits for its commit before the request fails */
  public GroupCommitQueryLog(QueryLog delegate, Duration maxWait) {
    this.delegate = delegate;
    this.maxWaitNanos = maxWait.toNanos();
    this.writer = Thread.ofPlatform().daemon().name("groundwork-query-log").start(this::run);
  }

  private void run() {
    while (true) {
      List<Entry> batch;
      long from;
      synchronized (lock) {
        while (queued.isEmpty() && !closing) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (queued.isEmpty()) return; // closing, nothing left
        from = finished;
        if (queued.size() <= MAX_BATCH) {
          batch = queued;
          queued = new ArrayList<>();
        } else {
          batch = new ArrayList<>(queued.subList(0, MAX_BATCH));
          queued = new ArrayList<>(queued.subList(MAX_BATCH, queued.size()));
        }
      }
      RuntimeException error = null;
      try {
        delegate.recordAll(batch);
      } catch (RuntimeException e) {
        error = e;
      }
      synchronized (lock) {
        finished = from + batch.size();
        if (error != null) {
          failures.add(new Failure(from, finished, error));
          if (failures.size() > 1000) failures.remove(0);
        }
        lock.notifyAll();
      }
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
    long seq;
    synchronized (lock) {
      if (closing) throw new IllegalStateException("the query log is closed; " + e.id() + " was not recorded");
      seq = enqueued++;
      queued.add(e);
      lock.notifyAll();
      long deadline = System.nanoTime() + maxWaitNanos;
      while (finished <= seq) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new IllegalStateException("the query log did not commit " + e.id() + " within " + maxWaitNanos / 1_000_000 + " ms");
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while recording " + e.id(), ex);
        }
      }
      for (Failure f : failures) {
        if (seq >= f.from() && seq < f.to()) throw new IllegalStateException("the query log could not record " + e.id() + ": " + f.error().getMessage(), f.error());
      }
    }
  }

  @Override
  public void recordAll(List<Entry> entries) {
    for (Entry e : entries) record(e);
  }

  @Override
  public double spentBy(String keyId) {
    return delegate.spentBy(keyId);
  }

  @Override
  public void feedback(Feedback f) {
    delegate.feedback(f);
  }

  @Override
  public List<Logged> list(Query q) {
    return delegate.list(q);
  }

  @Override
  public Optional<Logged> get(String id) {
    return delegate.get(id);
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
