package dev.groundwork.app;

/** A bad project configuration: the message names the file, the key path and what is accepted. */
public final class ConfigException extends GroundworkException {
  public ConfigException(String message) {
    super(message, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.CONFIGURATION;
  }
}
