package dev.groundwork.app;

/**
 * A failure the user can act on, with its {@link ErrorKind}. The message is one line that names the
 * file, key or field and says what to do; adapters print it as it is.
 */
public abstract sealed class GroundworkException extends RuntimeException
    permits ConfigException, BadInputException, NotFoundException, ConflictException, LimitExceededException, UpstreamException,
    InterruptedOperationException {
  protected GroundworkException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract ErrorKind kind();
}
