package dev.groundwork.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.groundwork.core.Answer;
import java.util.List;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.Collectors;

/** Checks of the answer's structure ({@code json-schema}) and of its meaning ({@code similar}). */
final class FormatAssertions {
  private FormatAssertions() {}

  /** The answer is JSON that validates against a JSON Schema (draft 2020-12 unless the schema says otherwise). */
  record JsonSchema(String schemaText, Schema schema, double weight) implements Assertion {
    static JsonSchema of(String schemaJson, double weight) {
      Schema s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaJson, InputFormat.JSON);
      return new JsonSchema(schemaJson, s, weight);
    }

    public String type() { return "json-schema"; }

    public Outcome check(EvalCase c, Answer a) {
      JsonNode node;
      try {
        node = new ObjectMapper().readTree(a.text());
      } catch (Exception e) {
        return Outcome.of(this, false, "answer is not JSON");
      }
      List<com.networknt.schema.Error> errors = schema.validate(node);
      return Outcome.of(this, errors.isEmpty(), "does not match the schema: "
          + errors.stream().limit(3).map(com.networknt.schema.Error::toString).collect(Collectors.joining("; ")));
    }
  }

  /**
   * Semantic similarity of the answer to the case's {@code expected} answer (cosine of their
   * embeddings) is at least {@code threshold}; the score is the similarity itself.
   */
  record Similar(double threshold, ToDoubleBiFunction<String, String> similarity, double weight) implements Assertion {
    public String type() { return "similar"; }

    public Outcome check(EvalCase c, Answer a) {
      double sim = similarity.applyAsDouble(c.expected(), a.text());
      boolean ok = sim >= threshold;
      return new Outcome(type(), ok, Math.max(0, Math.min(1, sim)), weight,
          ok ? "" : String.format("similarity to the expected answer %.3f, below %.3f", sim, threshold));
    }
  }
}
