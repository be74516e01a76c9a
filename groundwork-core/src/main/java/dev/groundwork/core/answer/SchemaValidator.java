package dev.groundwork.core.answer;

import java.util.List;

/** Checks text against a JSON Schema. Implementations are thread-safe. */
@FunctionalInterface
public interface SchemaValidator {
  /** The problems with {@code json} (not JSON at all counts as one); empty when it matches. */
  List<String> validate(String json);
}
