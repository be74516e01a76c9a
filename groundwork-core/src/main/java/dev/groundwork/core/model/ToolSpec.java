package dev.groundwork.core.model;

import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param parametersSchema the JSON Schema of the arguments, as JSON text
 */
public record ToolSpec(String name, String description, String parametersSchema) {
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_-]{1,64}")) throw new IllegalArgumentException("tool name '" + name + "' must be 1-64 of [A-Za-z0-9_-]");
    description = description == null ? "" : description;
    parametersSchema = parametersSchema == null ? "{\"type\":\"object\",\"properties\":{}}" : parametersSchema;
  }
}
