package dev.groundwork.server;

import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The thread pool both servers run their handlers on: platform threads, not virtual ones.
 *
 * <p>Measured with {@code groundwork bench gateway} (50 clients, 2 cores, the log that survives
 * {@code kill -9}; every run in the README): on Javalin's virtual threads the gateway added p50
 * 0.77-1.00 ms and p99 3.2-7.8 ms; on this pool (and G1) 0.31-0.69 ms and 2.5-6.4 ms. A virtual thread reaches its handler through a
 * hand-off from Jetty's selector and wakes from every blocking read through the JDK's poller and then
 * a carrier; on platform threads Jetty can run the handler on the thread that saw the request
 * (a reserved thread takes over selecting) and a blocked read is woken by the kernel directly. The
 * native parts (ONNX Runtime, SQLite) never pin a carrier either.
 *
 * <p>A thread is held per request in progress, streams included, so the ceiling is high (threads
 * reserve their stacks virtually and commit only what they touch); requests beyond it queue, they
 * are not refused. Idle threads above the minimum end after a minute.
 */
final class ServerThreads {
  /** Requests handled at once before new ones queue: above the 1,000 open streams `bench gateway` holds. */
  static final int MAX = 2048;
  static final int MIN = 8;

  private ServerThreads() {}

  static QueuedThreadPool pool(String name) {
    QueuedThreadPool pool = new QueuedThreadPool(MAX, MIN, 60_000);
    pool.setName(name);
    return pool;
  }
}
