package dev.groundwork.app;

/** A request, flag or input file that cannot be used. */
public final class BadInputException extends GroundworkException {
  public BadInputException(String message) {
    super(message, null);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.BAD_INPUT;
  }
}
