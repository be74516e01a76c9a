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
    // the same reader, the same typed access and the same messages as groundwork.yaml, down to the assertions
    JsonNode root = YamlDocument.parse(file.toString(), bytes, SuiteException::new);
    if (root == null || !root.isObject()) throw new SuiteException(file + ": a suite is a mapping with a 'cases' list");
    YamlSection top = new YamlSection(file.toString(), "", root, Set.of("name", "k", "min_pass_rate", "model", "defaults", "cases"), SuiteException::new);
    String model = top.text("model", null);
    if (model != null && !model.equals("extractive") && !model.matches("[a-z0-9_-]+:.+")) {
      throw top.invalid("model", "got '" + model + "'; use extractive or PROVIDER:MODEL (e.g. openai:gpt-4.1-mini)");
    }
    String suiteName = top.text("name", name.replaceFirst("\\.ya?ml$", ""));
    Integer k = top.has("k") ? top.integer("k", 0, 1, 50) : null;
    double minPass = top.number("min_pass_rate", 1.0, 0, 1);
    List<Assertion> defaults = new ArrayList<>(assertions(file, top.section("defaults", Set.of("assert")), similarity, judge));
    JsonNode cases = top.raw("cases");
    if (cases == null || !cases.isArray() || cases.isEmpty()) throw top.invalid("cases", "must be a non-empty list of cases");
    List<EvalCase> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (YamlSection c : top.sections("cases", Set.of("id", "question", "messages", "expected", "expected_sources", "tags", "assert"),
        n -> n != null && n.path("id").isValueNode() && !n.path("id").asText().isBlank() ? "id=" + n.get("id").asText() : null)) {
      String id = c.requiredScalar("id");
      if (id.isBlank()) throw c.invalid("id", "must not be blank");
      if (!ids.add(id)) throw c.invalid("id", "duplicate id '" + id + "'; every case needs its own");
      List<FollowUps.Turn> earlier = new ArrayList<>();
      String question;
      if (c.has("messages")) {
        if (c.has("question")) throw c.invalid("give 'question' or 'messages', not both");
        question = messages(c, earlier);
      } else {
        question = c.scalar("question", null);
        if (question == null || question.isBlank()) throw c.invalid("question", "is required (or 'messages')");
      }
      List<Assertion> as = new ArrayList<>(assertions(file, c, similarity, judge));
      as.addAll(defaults);
      List<String> sources = c.strings("expected_sources", List.of());
      String expected = c.scalar("expected", null);
      for (Assertion a : as) {
        boolean needsSources = (a instanceof GroundingAssertions.CitesSource cs && cs.value() == null)
            || (a instanceof RetrievalAssertions.RetrievedSource rs && rs.value() == null);
        if (needsSources && sources.isEmpty()) throw c.invalid("expected_sources", "is needed by " + a.type() + " without a value");
        if (a instanceof FormatAssertions.Similar && expected == null) throw c.invalid("expected", "is needed by similar (the answer it compares with)");
      }
      out.add(new EvalCase(id, question, expected, sources, c.strings("tags", List.of()), as, earlier));
    }
    return new Suite(suiteName, file.toString(), k, minPass, out, sha256(bytes), model);
  }

  /**
   * A conversation: a list of {@code {role: user|assistant, content: TEXT}}, ending with the user
   * message the case asks; the turns before it go into {@code earlier}. Returns that last message.
   */
  private static String messages(YamlSection c, List<FollowUps.Turn> earlier) {
    JsonNode list = c.raw("messages");
    if (!list.isArray() || list.isEmpty()) throw c.invalid("messages", "must be a non-empty list of {role, content}");
    for (YamlSection m : c.sections("messages", Set.of("role", "content"))) {
      String role = m.choice("role", null, Set.of("user", "assistant"));
      if (role == null) throw m.invalid("role", "is required: user or assistant");
      String content = m.text("content", null);
      if (content == null || content.isBlank()) throw m.invalid("content", "must be non-empty text");
      earlier.add(new FollowUps.Turn(role, content));
    }
    FollowUps.Turn last = earlier.remove(earlier.size() - 1);
    if (!last.role().equals("user")) throw c.invalid("messages", "the last must be the user's question");
    return last.content();
  }

  /** The {@code assert} list of a case, or of {@code defaults}. */
  private static List<Assertion> assertions(Path file, YamlSection owner, ToDoubleBiFunction<String, String> similarity, LlmJudge judge) {
    List<Assertion> out = new ArrayList<>();
    for (YamlSection a : owner.sections("assert", Set.of("type", "value", "weight", "threshold", "k"))) {
      String type = a.requiredText("type");
      if (!TYPES.contains(type)) throw a.invalid("type", "unknown type '" + type + "'; accepted: " + String.join(", ", TYPES));
      double w = a.number("weight", 1.0, 0, 1000);
      out.add(switch (type) {
        case "contains" -> new TextAssertions.Contains(a.requiredScalar("value"), w);
        case "not-contains" -> new TextAssertions.NotContains(a.requiredScalar("value"), w);
        case "contains-any" -> {
          List<String> any = a.strings("value", List.of());
          if (any.isEmpty()) throw a.invalid("value", "must be a non-empty list of strings");
          yield new TextAssertions.ContainsAny(any, w);
        }
        case "regex" -> new TextAssertions.Regex(regex(a), w);
        case "equals" -> new TextAssertions.Equals(a.requiredScalar("value"), w);
        case "max-length" -> new TextAssertions.MaxLength(required(a, "value").integer("value", 0, 1, Integer.MAX_VALUE), w);
        case "is-json" -> new TextAssertions.IsJson(w);
        case "json-schema" -> jsonSchema(file, a, w);
        case "similar" -> {
          if (similarity == null) throw a.invalid("type", "similar needs an embedder, and none is available here");
          yield new FormatAssertions.Similar(a.number("threshold", 0.8, -1, 1), similarity, w);
        }
        case "cites" -> new GroundingAssertions.Cites(w);
        case "cites-source" -> new GroundingAssertions.CitesSource(a.scalar("value", null), w);
        case "refuses" -> new GroundingAssertions.Refuses(w);
        case "grounded" -> new GroundingAssertions.Grounded(a.number("threshold", 0.6, 0, 1), w, judge);
        case "llm-rubric" -> {
          if (judge == null) throw a.invalid("type", "llm-rubric needs a judge model: set eval.judge in groundwork.yaml or pass --judge MODEL");
          yield new JudgeAssertions.LlmRubric(a.requiredScalar("value"), a.number("threshold", 0.7, 0, 1), judge, w);
        }
        case "retrieved-source" -> new RetrievalAssertions.RetrievedSource(a.scalar("value", null), a.has("k") ? a.integer("k", 0, 1, 50) : null, w);
        case "max-latency-ms" -> new RetrievalAssertions.MaxLatencyMs(required(a, "value").integer("value", 0, 1, Integer.MAX_VALUE), w);
        case "max-cost-usd" -> new RetrievalAssertions.MaxCostUsd(required(a, "value").number("value", 0, 0, 1e6), w);
        default -> throw new IllegalStateException("a type in TYPES without a reader: " + type);
      });
    }
    return out;
  }

  private static YamlSection required(YamlSection a, String k) {
    if (!a.has(k)) throw a.invalid(k, "is required");
    return a;
  }

  /** An inline schema (a mapping) or the path of a schema file, relative to the suite file. */
  private static Assertion jsonSchema(Path file, YamlSection a, double w) {
    JsonNode v = a.raw("value");
    String text;
    if (v != null && v.isObject()) {
      text = v.toString();
    } else if (v != null && v.isTextual()) {
      Path schemaFile = file.toAbsolutePath().getParent().resolve(v.asText());
      try {
        text = Files.readString(schemaFile);
      } catch (IOException e) {
        throw a.invalid("value", "cannot read schema file " + schemaFile);
      }
    } else {
      throw a.invalid("value", "must be a schema (a mapping) or the path of a schema file");
    }
    try {
      return FormatAssertions.JsonSchema.of(text, w);
    } catch (RuntimeException e) {
      throw a.invalid("value", "invalid JSON Schema: " + e.getMessage());
    }
  }

  private static Pattern regex(YamlSection a) {
    try {
      return Pattern.compile(a.requiredScalar("value"));
    } catch (PatternSyntaxException e) {
      throw a.invalid("value", "invalid regex: " + e.getDescription());
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
