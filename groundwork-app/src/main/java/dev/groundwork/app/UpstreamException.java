package dev.groundwork.app;

/** A model or other upstream service failed. */
public final class UpstreamException extends GroundworkException {
  public UpstreamException(String message) {
    super(message, null);
  }

  public UpstreamException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.UPSTREAM;
  }
}
