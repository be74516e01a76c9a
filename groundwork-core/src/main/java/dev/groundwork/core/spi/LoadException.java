package dev.groundwork.core.spi;

/** A file could not be turned into a document. The message is a short reason, without the path. */
public class LoadException extends Exception {
  public LoadException(String reason) {
    super(reason);
  }

  public LoadException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
