package dev.groundwork.eval;

import dev.groundwork.core.Answer;
import java.util.List;
import java.util.function.ToDoubleBiFunction;
import java.util.stream.Collectors;

/** Checks of the answer's structure ({@code json-schema}) and of its meaning ({@code similar}). */
final class FormatAssertions {
  private FormatAssertions() {}

  /** The answer is JSON that validates against a JSON Schema (draft 2020-12 unless the schema says otherwise). */
  record JsonSchema(String schemaText, JsonSchemaValidator schema, double weight) implements Assertion {
    static JsonSchema of(String schemaJson, double weight) {
      return new JsonSchema(schemaJson, new JsonSchemaValidator(schemaJson), weight);
    }

    public String type() { return "json-schema"; }

    public Outcome check(EvalCase c, Answer a) {
      List<String> errors = schema.validate(a.text());
      if (errors.equals(List.of("the reply is not JSON"))) return Outcome.of(this, false, "answer is not JSON");
      return Outcome.of(this, errors.isEmpty(), "does not match the schema: " + errors.stream().limit(3).collect(Collectors.joining("; ")));
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
