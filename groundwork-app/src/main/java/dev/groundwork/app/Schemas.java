package dev.groundwork.app;

import dev.groundwork.eval.JsonSchemaValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON Schema files an answer must match ({@code ask --schema}), read and checked before any model is called. */
public final class Schemas {
  private Schemas() {}

  /**
   * @param flag the option that named the file, for the message
   * @throws BadInputException naming the file when it is missing, unreadable or not a JSON Schema
   */
  public static String read(Path file, String flag) {
    if (!Files.isRegularFile(file)) throw new BadInputException(flag + ": no such file: " + file);
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new BadInputException(flag + " " + file + ": cannot read: " + e.getMessage());
    }
    try {
      new JsonSchemaValidator(text);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(flag + " " + file + ": " + e.getMessage());
    }
    return text;
  }
}
