package dev.groundwork.core.answer;

import java.util.List;

/** The model's reply did not match the requested JSON Schema, even after the retry with the errors. */
public final class SchemaMismatchException extends RuntimeException {
  private final List<String> errors;
  private final String reply;

  public SchemaMismatchException(String model, List<String> errors, String reply) {
    super(model + ": the reply does not match the JSON Schema after one retry: " + String.join("; ", errors));
    this.errors = List.copyOf(errors);
    this.reply = reply;
  }

  public List<String> errors() {
    return errors;
  }

  /** The last reply, as the model sent it. */
  public String reply() {
    return reply;
  }
}
