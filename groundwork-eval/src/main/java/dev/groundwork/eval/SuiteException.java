package dev.groundwork.eval;

/** A malformed suite; the message names the file, the case id and the field. Raised before anything runs. */
public class SuiteException extends RuntimeException {
  public SuiteException(String message) {
    super(message);
  }
}
