package dev.groundwork.models.langchain4j;

import dev.groundwork.core.text.Snippets;
import dev.langchain4j.exception.HttpException;
import java.time.Duration;

/** A non-2xx response, with the body and the {@code Retry-After} delay (null when absent). */
public final class HttpStatusException extends HttpException {
  private final String body;
  private final Duration retryAfter;

  public HttpStatusException(int status, String body, Duration retryAfter) {
    super(status, "HTTP " + status + ": " + abbreviate(body));
    this.body = body;
    this.retryAfter = retryAfter;
  }

  public String body() {
    return body;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  static String abbreviate(String s) {
    return Snippets.oneLine(s, 300);
  }
}
