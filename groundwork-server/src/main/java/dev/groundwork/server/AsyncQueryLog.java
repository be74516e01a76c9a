package dev.groundwork.server;

import dev.groundwork.core.log.QueryLog;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes entries on a background thread so that logging adds no latency to an answer. Nothing is
 * dropped: when the queue is full the caller writes itself, reads ({@link #list}, {@link #get},
 * {@link #feedback}) first wait for the queue to drain, and {@link #close} writes what is left.
 * Thread-safe.
 */
public final class AsyncQueryLog implements QueryLog {
  private final QueryLog delegate;
  private final BlockingQueue<Entry> queue;
  private final Thread writer;
  private final Object drained = new Object();
  private volatile boolean closing;
  private long pending;

  public AsyncQueryLog(QueryLog delegate, int capacity) {
    this.delegate = delegate;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = Thread.ofPlatform().daemon().name("groundwork-query-log").start(this::drain);
  }

  private void drain() {
    while (!closing || !queue.isEmpty()) {
      try {
        Entry e = queue.poll(100, TimeUnit.MILLISECONDS);
        if (e == null) continue;
        try {
          delegate.record(e);
        } catch (RuntimeException ex) {
          System.err.println("groundwork: query log write failed for " + e.id() + ": " + ex.getMessage());
        }
        synchronized (drained) {
          pending--;
          drained.notifyAll();
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void record(Entry e) {
    synchronized (drained) {
      pending++;
    }
    if (closing || !queue.offer(e)) {
      synchronized (drained) {
        pending--;
      }
      delegate.record(e); // full (or closing): write it ourselves rather than drop it
    }
  }

  /** Waits until every queued entry is written. */
  public void flush() {
    synchronized (drained) {
      while (pending > 0) {
        try {
          drained.wait(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void feedback(Feedback f) {
    flush();
    delegate.feedback(f);
  }

  @Override
  public List<Logged> list(Query q) {
    flush();
    return delegate.list(q);
  }

  @Override
  public Optional<Logged> get(String id) {
    flush();
    return delegate.get(id);
  }

  @Override
  public void close() {
    closing = true;
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delegate.close();
  }
}
