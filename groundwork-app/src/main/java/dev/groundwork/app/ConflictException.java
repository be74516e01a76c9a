package dev.groundwork.app;

/** What this needs is held by another process or request. */
public final class ConflictException extends GroundworkException {
  public ConflictException(String message) {
    super(message, null);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.CONFLICT;
  }
}
