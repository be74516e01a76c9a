package dev.groundwork.app;

/** The work was stopped before it finished. */
public final class InterruptedOperationException extends GroundworkException {
  public InterruptedOperationException(String message) {
    super(message, null);
  }

  public InterruptedOperationException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INTERRUPTED;
  }
}
