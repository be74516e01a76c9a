package dev.groundwork.server;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The floor under the gateway, for {@code groundwork bench gateway --floor}: Javalin on Jetty with
 * the same thread pool ({@link ServerThreads}), as {@link GroundworkServer} runs it, and one route, {@code POST
 * /v1/chat/completions}, that reads the body and then either waits (as if a model answered in that
 * time) or hands the same bytes to a forwarder (the app's, over the shared HTTP client) and returns
 * its reply as it is. No JSON is parsed, nothing is checked and nothing is logged: what the
 * gateway costs beyond this is the gateway's own work.
 */
public final class BareServer implements AutoCloseable {
  /** What the route does after reading the body. */
  public enum Mode {
    WAIT, FORWARD
  }

  private static final byte[] CANNED = ("{\"id\":\"chatcmpl-bare\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"bare\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello from the bare server.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":6,\"total_tokens\":16}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final Javalin app;

  private BareServer(Javalin app) {
    this.app = app;
  }

  /**
   * @param forward what {@link Mode#FORWARD} does with a request's bytes: the reply's bytes
   * @param wait how long {@link Mode#WAIT} waits before its canned reply
   */
  public static BareServer start(Mode mode, UnaryOperator<byte[]> forward, Duration wait) {
    Javalin app = Javalin.create(config -> {
      config.jetty.threadPool = ServerThreads.pool("groundwork-bare");
      config.startup.showJavalinBanner = false;
      config.routes.post("/v1/chat/completions", ctx -> {
        byte[] body = ctx.bodyAsBytes();
        if (mode == Mode.WAIT) {
          Thread.sleep(wait.toMillis());
          ctx.contentType("application/json").result(CANNED);
          return;
        }
        ctx.contentType("application/json").result(forward.apply(body));
      });
    });
    app.start("127.0.0.1", 0);
    return new BareServer(app);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
