package dev.groundwork.server;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the requests Jetty is handling, from the moment it has read their headers to the moment
 * their response is complete (every route, every status, streams included), and once draining has
 * begun asks every connection to close after its response ({@code Connection: close}), so that a
 * stopping server leaves no idle kept-alive connection to cut. Wraps Javalin's handler.
 */
final class Draining extends Handler.Wrapper {
  private final AtomicInteger active = new AtomicInteger();
  private volatile long lastStartNanos = System.nanoTime();
  private volatile boolean draining;

  /** Requests whose response is not yet complete. */
  int active() {
    return active.get();
  }

  /** When the last request started ({@link System#nanoTime()}). */
  long lastStartNanos() {
    return lastStartNanos;
  }

  void drain() {
    draining = true;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    active.incrementAndGet();
    lastStartNanos = System.nanoTime();
    if (draining) response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    AtomicBoolean done = new AtomicBoolean();
    Runnable finish = () -> {
      if (done.compareAndSet(false, true)) active.decrementAndGet();
    };
    Callback counted = new Callback() {
      @Override
      public void succeeded() {
        finish.run();
        callback.succeeded();
      }

      @Override
      public void failed(Throwable x) {
        finish.run();
        callback.failed(x);
      }

      @Override
      public InvocationType getInvocationType() {
        return callback.getInvocationType();
      }
    };
    boolean handled;
    try {
      handled = super.handle(request, response, counted);
    } catch (Throwable t) {
      finish.run();
      throw t;
    }
    if (!handled) finish.run();
    return handled;
  }
}
