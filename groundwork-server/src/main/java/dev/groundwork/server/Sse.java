package dev.groundwork.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one writer of server-sent events: OpenAI's {@code data: JSON} framing, flushed per event,
 * ended by {@code data: [DONE]}. Not thread-safe; one per response.
 */
final class Sse {
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
  private final OutputStream out;

  /** Sets the event-stream headers on {@code ctx} and takes its output stream. */
  Sse(Context ctx) {
    ctx.contentType("text/event-stream");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    ctx.attribute(Http.WRITTEN, Boolean.TRUE);
    this.out = ctx.outputStream();
  }

  /** Sends one event; a client that went away surfaces as an {@link UncheckedIOException}. */
  void send(Object event) {
    try {
      out.write(("data: " + Http.JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the stream. */
  void done() {
    try {
      out.write(DONE);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
