package dev.groundwork.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.groundwork.core.answer.SchemaValidator;
import java.util.List;

/** Validates JSON text against a JSON Schema (draft 2020-12 unless the schema names another). Thread-safe. */
public final class JsonSchemaValidator implements SchemaValidator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Schema schema;

  /** @throws IllegalArgumentException when {@code schemaJson} is not a JSON Schema */
  public JsonSchemaValidator(String schemaJson) {
    try {
      JSON.readTree(schemaJson);
      this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaJson, InputFormat.JSON);
    } catch (Exception e) {
      throw new IllegalArgumentException("not a JSON Schema: " + e.getMessage());
    }
  }

  @Override
  public List<String> validate(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (Exception e) {
      return List.of("the reply is not JSON");
    }
    if (node == null) return List.of("the reply is empty");
    return schema.validate(node).stream().limit(5).map(com.networknt.schema.Error::toString).toList();
  }
}
