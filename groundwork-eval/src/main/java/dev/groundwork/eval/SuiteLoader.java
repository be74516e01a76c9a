package dev.groundwork.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.core.retrieve.FollowUps;
import dev.groundwork.yaml.YamlDocument;
import dev.groundwork.yaml.YamlSection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads suites from a YAML file or a folder of them ({@code *.yaml}, {@code *.yml}, sorted by name).
 * Everything is validated before any case runs; an error names the file, the case id and the field.
 *
 * <pre>
 * name: tidewater            # default: the file name
 * k: 8                       # chunks per case (default: the project's retrieval.k)
 * min_pass_rate: 1.0         # share of cases that must pass
 * model: openai:gpt-4.1-mini # answer model for this suite (default: the project's)
 * defaults:
 *   assert: [{type: grounded}]   # applied to every case
 * cases:
 *   - id: visibility-default
 *     question: What is the default visibility timeout?
 *     expected: 30 seconds
 *     expected_sources: [concepts/visibility-timeout.md]
 *     tags: [concepts]
 *     assert:
 *       - {type: contains, value: 30 seconds}
 *       - {type: cites-source}
 * </pre>
 */
public final class SuiteLoader {
  static final Set<String> TYPES = new TreeSet<>(List.of("contains", "not-contains", "contains-any", "regex", "equals",
      "max-length", "is-json", "json-schema", "similar", "cites", "cites-source", "refuses", "grounded", "retrieved-source",
      "max-latency-ms", "max-cost-usd", "llm-rubric"));

  private SuiteLoader() {}

  public static List<Suite> load(Path path) {
    return load(path, null);
  }

  /**
   * @param similarity cosine similarity of two texts, for {@code similar}; null when no embedder is
   *     available, which makes a suite that uses {@code similar} an error
   */
  public static List<Suite> load(Path path, ToDoubleBiFunction<String, String> similarity) {
    return load(path, similarity, null);
  }

  /**
   * @param judge the judge model for {@code llm-rubric} (and for {@code grounded}, which then asks it
   *     instead of counting shared words); null when none is configured, which makes a suite that uses
   *     {@code llm-rubric} an error
   */
  public static List<Suite> load(Path path, ToDoubleBiFunction<String, String> similarity, LlmJudge judge) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new SuiteException(path + ": cannot list the folder: " + e.getMessage());
      }
      if (files.isEmpty()) throw new SuiteException(path + ": no .yaml suites in this folder");
    } else if (Files.isRegularFile(path)) {
      files.add(path);
    } else {
      throw new SuiteException(path + ": no such suite file or folder");
    }
    List<Suite> out = new ArrayList<>();
    for (Path f : files) out.add(loadFile(f, similarity, judge));
    return out;
  }

  static Suite loadFile(Path file, ToDoubleBiFunction<String, String> similarity, LlmJudge judge) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SuiteException(file + ": cannot read: " + e.getMessage());
    }
    return parse(file, bytes, similarity, judge);
  }

  /**
   * A suite from the bytes of {@code file}.
   *
   * @throws SuiteException for anything wrong in it, naming the file, the field and what to do
   */
  static Suite parse(Path file, byte[] bytes, ToDoubleBiFunction<String, String> similarity, LlmJudge judge) {
    String name = file.getFileName().toString();
    // the same reader and the same checks, with the same messages, as groundwork.yaml
    JsonNode root = YamlDocument.parse(file.toString(), bytes, SuiteException::new);
    if (root == null || !root.isObject()) throw new SuiteException(file + ": a suite is a mapping with a 'cases' list");
    YamlSection top = new YamlSection(file.toString(), "", root, Set.of("name", "k", "min_pass_rate", "model", "defaults", "cases"), SuiteException::new);
    String model = top.text("model", null);
    if (model != null && !model.equals("extractive") && !model.matches("[a-z0-9_-]+:.+")) {
      throw top.invalid("model", "got '" + model + "'; use extractive or PROVIDER:MODEL (e.g. openai:gpt-4.1-mini)");
    }
    String suiteName = top.text("name", name.replaceFirst("\\.ya?ml$", ""));
    Integer k = root.hasNonNull("k") ? top.integer("k", 0, 1, 50) : null;
    double minPass = top.number("min_pass_rate", 1.0, 0, 1);
    List<Assertion> defaults = new ArrayList<>();
    JsonNode d = root.get("defaults");
    if (d != null && !d.isNull()) {
      top.section("defaults", Set.of("assert"));
      defaults.addAll(assertions(file, "defaults", d.get("assert"), similarity, judge));
    }
    JsonNode cases = root.get("cases");
    if (cases == null || !cases.isArray() || cases.isEmpty()) throw new SuiteException(file + ": 'cases' must be a non-empty list");
    List<EvalCase> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode c : cases) {
      i++;
      String where = c.hasNonNull("id") ? "case '" + c.get("id").asText() + "'" : "case #" + i;
      if (!c.isObject()) throw new SuiteException(file + ": " + where + ": must be a mapping");
      keys(file, where, c, Set.of("id", "question", "messages", "expected", "expected_sources", "tags", "assert"));
      if (!c.hasNonNull("id") || c.get("id").asText().isBlank()) throw new SuiteException(file + ": " + where + ": 'id' is required");
      String id = c.get("id").asText();
      if (!ids.add(id)) throw new SuiteException(file + ": " + where + ": duplicate id");
      List<FollowUps.Turn> earlier = new ArrayList<>();
      String question;
      if (c.has("messages")) {
        if (c.has("question")) throw new SuiteException(file + ": " + where + ": give 'question' or 'messages', not both");
        question = messages(file, where, c.get("messages"), earlier);
      } else {
        if (!c.hasNonNull("question") || c.get("question").asText().isBlank()) throw new SuiteException(file + ": " + where + ": 'question' (or 'messages') is required");
        question = c.get("question").asText();
      }
      List<Assertion> as = new ArrayList<>(assertions(file, where, c.get("assert"), similarity, judge));
      as.addAll(defaults);
      List<String> sources = strings(file, where, "expected_sources", c.get("expected_sources"));
      for (Assertion a : as) {
        boolean needsSources = (a instanceof GroundingAssertions.CitesSource cs && cs.value() == null)
            || (a instanceof RetrievalAssertions.RetrievedSource rs && rs.value() == null);
        if (needsSources && sources.isEmpty()) {
          throw new SuiteException(file + ": " + where + ": " + a.type() + " without a value needs expected_sources");
        }
        if (a instanceof FormatAssertions.Similar && !c.hasNonNull("expected")) {
          throw new SuiteException(file + ": " + where + ": similar needs the case's 'expected' answer");
        }
      }
      out.add(new EvalCase(id, question, c.hasNonNull("expected") ? c.get("expected").asText() : null,
          sources, strings(file, where, "tags", c.get("tags")), as, earlier));
    }
    return new Suite(suiteName, file.toString(), k, minPass, out, sha256(bytes), model);
  }

  /**
   * A conversation: a list of {@code {role: user|assistant, content: TEXT}}, ending with the user
   * message the case asks; the turns before it go into {@code earlier}. Returns that last message.
   */
  private static String messages(Path file, String where, JsonNode list, List<FollowUps.Turn> earlier) {
    if (list == null || !list.isArray() || list.isEmpty()) throw new SuiteException(file + ": " + where + ": 'messages' must be a non-empty list of {role, content}");
    int i = 0;
    for (JsonNode m : list) {
      i++;
      if (!m.isObject()) throw new SuiteException(file + ": " + where + ": messages #" + i + " must be a mapping {role, content}");
      keys(file, where + ": messages #" + i, m, Set.of("role", "content"));
      String role = m.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw new SuiteException(file + ": " + where + ": messages #" + i + ": role must be user or assistant, got '" + role + "'");
      }
      if (!m.path("content").isTextual() || m.path("content").asText().isBlank()) {
        throw new SuiteException(file + ": " + where + ": messages #" + i + ": 'content' must be non-empty text");
      }
      earlier.add(new FollowUps.Turn(role, m.path("content").asText()));
    }
    FollowUps.Turn last = earlier.remove(earlier.size() - 1);
    if (!last.role().equals("user")) throw new SuiteException(file + ": " + where + ": the last of 'messages' must be the user's question");
    return last.content();
  }

  private static List<Assertion> assertions(Path file, String where, JsonNode list, ToDoubleBiFunction<String, String> similarity, LlmJudge judge) {
    List<Assertion> out = new ArrayList<>();
    if (list == null || list.isNull()) return out;
    if (!list.isArray()) throw new SuiteException(file + ": " + where + ": 'assert' must be a list");
    int i = 0;
    for (JsonNode a : list) {
      i++;
      String at = where + ": assert #" + i;
      if (!a.isObject() || !a.hasNonNull("type")) throw new SuiteException(file + ": " + at + ": needs a 'type'");
      keys(file, at, a, Set.of("type", "value", "weight", "threshold", "k"));
      String type = a.get("type").asText();
      double w = a.hasNonNull("weight") ? number(file, at, "weight", a.get("weight"), 0, 1000) : 1.0;
      JsonNode v = a.get("value");
      out.add(switch (type) {
        case "contains" -> new TextAssertions.Contains(text(file, at, v), w);
        case "not-contains" -> new TextAssertions.NotContains(text(file, at, v), w);
        case "contains-any" -> new TextAssertions.ContainsAny(nonEmpty(file, at, strings(file, at, "value", v)), w);
        case "regex" -> new TextAssertions.Regex(regex(file, at, text(file, at, v)), w);
        case "equals" -> new TextAssertions.Equals(text(file, at, v), w);
        case "max-length" -> new TextAssertions.MaxLength(intIn(file, at, "value", v, 1, Integer.MAX_VALUE), w);
        case "is-json" -> new TextAssertions.IsJson(w);
        case "json-schema" -> jsonSchema(file, at, v, w);
        case "similar" -> {
          if (similarity == null) throw new SuiteException(file + ": " + at + ": similar needs an embedder, and none is available here");
          yield new FormatAssertions.Similar(a.hasNonNull("threshold") ? number(file, at, "threshold", a.get("threshold"), -1, 1) : 0.8, similarity, w);
        }
        case "cites" -> new GroundingAssertions.Cites(w);
        case "cites-source" -> new GroundingAssertions.CitesSource(v == null || v.isNull() ? null : text(file, at, v), w);
        case "refuses" -> new GroundingAssertions.Refuses(w);
        case "grounded" -> new GroundingAssertions.Grounded(
            a.hasNonNull("threshold") ? number(file, at, "threshold", a.get("threshold"), 0, 1) : 0.6, w, judge);
        case "llm-rubric" -> {
          if (judge == null) {
            throw new SuiteException(file + ": " + at + ": llm-rubric needs a judge model: set eval.judge in groundwork.yaml or pass --judge MODEL");
          }
          yield new JudgeAssertions.LlmRubric(text(file, at, v), a.hasNonNull("threshold") ? number(file, at, "threshold", a.get("threshold"), 0, 1) : 0.7,
              judge, w);
        }
        case "retrieved-source" -> new RetrievalAssertions.RetrievedSource(v == null || v.isNull() ? null : text(file, at, v),
            a.hasNonNull("k") ? intIn(file, at, "k", a.get("k"), 1, 50) : null, w);
        case "max-latency-ms" -> new RetrievalAssertions.MaxLatencyMs(intIn(file, at, "value", v, 1, Integer.MAX_VALUE), w);
        case "max-cost-usd" -> new RetrievalAssertions.MaxCostUsd(number(file, at, "value", v, 0, 1e6), w);
        default -> throw new SuiteException(file + ": " + at + ": unknown type '" + type + "'"
            + "; accepted: " + String.join(", ", TYPES));
      });
    }
    return out;
  }

  /** An inline schema (a mapping) or the path of a schema file, relative to the suite file. */
  private static Assertion jsonSchema(Path file, String at, JsonNode v, double w) {
    String text;
    if (v != null && v.isObject()) {
      text = v.toString();
    } else if (v != null && v.isTextual()) {
      Path schemaFile = file.toAbsolutePath().getParent().resolve(v.asText());
      try {
        text = Files.readString(schemaFile);
      } catch (IOException e) {
        throw new SuiteException(file + ": " + at + ": cannot read schema file " + schemaFile);
      }
    } else {
      throw new SuiteException(file + ": " + at + ": 'value' must be a schema (a mapping) or the path of a schema file");
    }
    try {
      return FormatAssertions.JsonSchema.of(text, w);
    } catch (RuntimeException e) {
      throw new SuiteException(file + ": " + at + ": invalid JSON Schema: " + e.getMessage());
    }
  }

  private static void keys(Path file, String where, JsonNode node, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new SuiteException(file + ": " + (where.isEmpty() ? "" : where + ": ") + "unknown field '" + k + "'; accepted: "
            + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  private static String text(Path file, String at, JsonNode v) {
    if (v == null || v.isNull() || v.isContainerNode()) throw new SuiteException(file + ": " + at + ": 'value' must be a string");
    return v.asText();
  }

  private static List<String> nonEmpty(Path file, String at, List<String> l) {
    if (l.isEmpty()) throw new SuiteException(file + ": " + at + ": 'value' must be a non-empty list");
    return l;
  }

  private static List<String> strings(Path file, String at, String field, JsonNode v) {
    if (v == null || v.isNull()) return List.of();
    if (v.isTextual()) return List.of(v.asText());
    if (!v.isArray()) throw new SuiteException(file + ": " + at + ": '" + field + "' must be a list of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isValueNode()) throw new SuiteException(file + ": " + at + ": '" + field + "' must be a list of strings");
      out.add(e.asText());
    }
    return out;
  }

  private static int intIn(Path file, String at, String field, JsonNode v, int min, int max) {
    if (v == null || !v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw new SuiteException(file + ": " + (at.isEmpty() ? "" : at + ": ") + "'" + field + "' must be a whole number in " + min + ".." + max
          + ", got '" + (v == null ? "nothing" : v.asText()) + "'");
    }
    return v.asInt();
  }

  private static double number(Path file, String at, String field, JsonNode v, double min, double max) {
    if (v == null || !v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw new SuiteException(file + ": " + (at.isEmpty() ? "" : at + ": ") + "'" + field + "' must be a number in " + min + ".." + max
          + ", got '" + (v == null ? "nothing" : v.asText()) + "'");
    }
    return v.asDouble();
  }

  private static Pattern regex(Path file, String at, String p) {
    try {
      return Pattern.compile(p);
    } catch (PatternSyntaxException e) {
      throw new SuiteException(file + ": " + at + ": invalid regex: " + e.getDescription());
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
