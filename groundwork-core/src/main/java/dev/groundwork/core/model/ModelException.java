package dev.groundwork.core.model;

import java.time.Duration;

/**
 * A failed model call, typed so that retry and fallback decide by {@link #kind()}, never by message
 * text.
 */
public class ModelException extends RuntimeException {
  /** What went wrong; {@link #retryable()} says whether trying again may help. */
  public enum Kind {
    RATE_LIMITED(true), SERVER_ERROR(true), TIMEOUT(true), UNAVAILABLE(true), MALFORMED_RESPONSE(true),
    AUTHENTICATION(false), QUOTA_EXCEEDED(false), BAD_REQUEST(false), CONTENT_FILTER(false), CONTEXT_LENGTH_EXCEEDED(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final Duration retryAfter;
  private final String model;

  public ModelException(String model, Kind kind, String message, Duration retryAfter, Throwable cause) {
    super(model + ": " + message, cause);
    this.model = model;
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public ModelException(String model, Kind kind, String message) {
    this(model, kind, message, null, null);
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind.retryable();
  }

  /** The provider's Retry-After, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  public String model() {
    return model;
  }
}
