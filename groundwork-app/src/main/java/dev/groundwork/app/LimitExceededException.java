package dev.groundwork.app;

/** A rate, size or budget limit was reached. */
public final class LimitExceededException extends GroundworkException {
  public LimitExceededException(String message) {
    super(message, null);
  }

  public LimitExceededException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.LIMIT_EXCEEDED;
  }
}
