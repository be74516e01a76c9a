package dev.groundwork.models.langchain4j;

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
    String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
    return t.length() <= 300 ? t : t.substring(0, 297) + "...";
  }

  /** Parses {@code Retry-After}: delay seconds, or an HTTP date; null when absent or unreadable. */
  static Duration parseRetryAfter(String value, java.time.Clock clock) {
    if (value == null || value.isBlank()) return null;
    String v = value.strip();
    try {
      double seconds = Double.parseDouble(v);
      return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
    } catch (NumberFormatException e) {
      try {
        var when = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), when.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (java.time.format.DateTimeParseException e2) {
        return null;
      }
    }
  }
}
