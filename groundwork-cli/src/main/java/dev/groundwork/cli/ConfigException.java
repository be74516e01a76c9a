package dev.groundwork.cli;

/** A bad project configuration: the message names the file, the key path and what is accepted. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
