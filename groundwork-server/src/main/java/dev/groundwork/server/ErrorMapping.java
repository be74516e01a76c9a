package dev.groundwork.server;

import dev.groundwork.app.ErrorKind;
import dev.groundwork.core.model.ModelException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * The one table from errors to HTTP statuses and OpenAI's {@code {"error": {...}}} body. An
 * unexpected exception is a 500 whose body carries an id and no stack trace; the id and the trace go
 * to the server's error stream.
 */
final class ErrorMapping {
  private final Metrics metrics;
  private final PrintStream err;

  ErrorMapping(Metrics metrics, PrintStream err) {
    this.metrics = metrics;
    this.err = err;
  }

  /** The status of an error of kind {@code kind}. */
  static int status(ErrorKind kind) {
    return switch (kind) {
      case BAD_INPUT -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case LIMIT_EXCEEDED -> 429;
      case UPSTREAM -> 502;
      case INTERRUPTED -> 503;
      case CONFIGURATION, STORAGE, INTERNAL -> 500;
    };
  }

  void install(RoutesConfig routes) {
    routes.exception(Exception.class, this::handle);
    routes.exception(HttpResponseException.class, this::handle); // named, or Javalin answers these itself in plain text
    routes.error(404, ctx -> {
      if (ctx.attribute(Http.WRITTEN) == null && ctx.result() == null) {
        Http.json(ctx, 404, OpenAiShapes.error("no such endpoint: " + ctx.method() + " " + ctx.path(), "invalid_request_error", "not_found"));
      }
    });
  }

  private void handle(Exception e, Context ctx) {
    if (e instanceof Http.Unsupported) {
      Http.json(ctx, 415, OpenAiShapes.error(e.getMessage(), "invalid_request_error", "unsupported_content"));
    } else if (e instanceof Http.Refused r) {
      metrics.error(r.code);
      Http.json(ctx, r.status, OpenAiShapes.error(e.getMessage(), r.status == 429 ? "insufficient_quota" : "invalid_request_error", r.code));
    } else if (e instanceof dev.groundwork.core.budget.BudgetExceededException b) {
      metrics.error("budget_exceeded");
      Instant now = Instant.now();
      if (b.resetsAt() != null) ctx.header("Retry-After", Long.toString(Math.max(1, java.time.Duration.between(now, b.resetsAt()).toSeconds())));
      Http.json(ctx, 429, OpenAiShapes.budgetError(b));
    } else if (e instanceof Http.BadRequest b) {
      Http.json(ctx, 400, OpenAiShapes.error(e.getMessage(), "invalid_request_error", b.param == null ? null : "invalid_value", b.param));
    } else if (e instanceof HttpResponseException r) {
      // Javalin's own: 405 for a known path with another method, 413 for a body over the limit
      int status = r.getStatus();
      String message = switch (status) {
        case 405 -> ctx.method() + " is not allowed on " + ctx.path();
        case 413 -> "the request body is larger than this server's limit (server.max_body_mb in groundwork.yaml)";
        default -> r.getMessage();
      };
      Http.json(ctx, status, OpenAiShapes.error(message, status >= 500 ? "server_error" : "invalid_request_error",
          status == 405 ? "method_not_allowed" : status == 413 ? "request_too_large" : null));
    } else if (e instanceof ModelException me) {
      String kind = me.kind().name().toLowerCase(Locale.ROOT);
      metrics.error(kind);
      int status = me.kind() == ModelException.Kind.RATE_LIMITED ? 429 : me.kind() == ModelException.Kind.TIMEOUT ? 504 : 502;
      Http.json(ctx, status, OpenAiShapes.error("the model failed: " + me.getMessage(), "upstream_error", kind));
    } else {
      ErrorKind kind = ErrorKind.of(e);
      int status = status(kind);
      if (status < 500 || kind == ErrorKind.UPSTREAM || kind == ErrorKind.INTERRUPTED) {
        Http.json(ctx, status, OpenAiShapes.error(e.getMessage(), status < 500 ? "invalid_request_error" : "server_error",
            kind.name().toLowerCase(Locale.ROOT)));
        return;
      }
      String id = "err_" + Http.hex(8);
      metrics.error("internal");
      synchronized (err) {
        err.println(Instant.now() + " groundwork: error " + id + " on " + ctx.method() + " " + ctx.path() + ": " + e);
        e.printStackTrace(err);
      }
      Http.json(ctx, 500, OpenAiShapes.error("internal error " + id + " (the server log has the details)", "server_error", "internal_error"));
    }
  }
}
