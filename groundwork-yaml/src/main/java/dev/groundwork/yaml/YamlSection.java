package dev.groundwork.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Typed, validated access to one mapping of a YAML file. Every error names the file, the dotted
 * path of the key, what was found and what is accepted. Unknown keys are errors (a typo must not
 * silently fall back to a default). groundwork.yaml and suite files are both read through it, so their
 * mistakes are reported the same way; each caller turns a message into its own exception type.
 */
public final class YamlSection {
  private final String file;
  private final String path;
  private final JsonNode node;
  private final Function<String, ? extends RuntimeException> errors;

  /**
   * @param keys the keys accepted in this mapping, or null for any
   * @param errors makes the exception for a message (which already names the file and key)
   */
  public YamlSection(String file, String path, JsonNode node, Set<String> keys, Function<String, ? extends RuntimeException> errors) {
    this.file = file;
    this.path = path;
    // a file with nothing but comments reads as no document at all: every key takes its default
    this.node = node == null || node.isMissingNode() ? null : node;
    this.errors = errors;
    if (this.node != null && !node.isNull()) {
      if (keys == null) {
        if (!node.isObject()) throw error(path, "must be a mapping of keys to values");
        return; // any keys
      }
      if (!node.isObject()) throw error(path.isEmpty() ? "the file" : path, "must be a mapping of keys to values");
      List<String> unknown = new ArrayList<>();
      node.fieldNames().forEachRemaining(k -> {
        if (!keys.contains(k)) unknown.add(k);
      });
      if (!unknown.isEmpty()) {
        throw errors.apply(file + ": unknown key '" + key(unknown.get(0)) + "'; accepted keys"
            + (path.isEmpty() ? "" : " under " + path) + ": " + String.join(", ", new TreeSet<>(keys)));
      }
    }
  }

  private String key(String k) {
    return path.isEmpty() ? k : path + "." + k;
  }

  private RuntimeException error(String key, String what) {
    return errors.apply(file + ": " + key + ": " + what);
  }

  private JsonNode get(String k) {
    if (node == null || node.isNull()) return null;
    JsonNode v = node.get(k);
    return v == null || v.isNull() ? null : v;
  }

  /** The dotted path of this section ("" for the top of the file). */
  public String path() {
    return path;
  }

  /** Whether key {@code k} is present with a value. */
  public boolean has(String k) {
    return get(k) != null;
  }

  /** The value of key {@code k} as parsed, for values of more than one shape; null when absent. */
  public JsonNode raw(String k) {
    return get(k);
  }

  /** An error naming this section itself. */
  public RuntimeException invalid(String what) {
    return error(path.isEmpty() ? "the file" : path, what);
  }

  /** The keys present in this section, in file order. */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    if (node != null && node.isObject()) node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The entries of list {@code k} as sections with {@code keys}; empty when absent. */
  public List<YamlSection> sections(String k, Set<String> keys) {
    return sections(k, keys, null);
  }

  /**
   * The entries of list {@code k} as sections with {@code keys}; empty when absent. Each is named
   * {@code k[label]} in messages, where {@code label} gives an entry's label from its raw node (a
   * case's {@code id=...}) or null for its index.
   */
  public List<YamlSection> sections(String k, Set<String> keys, Function<JsonNode, String> label) {
    JsonNode v = get(k);
    if (v == null) return List.of();
    if (!v.isArray()) throw error(key(k), "must be a list");
    List<YamlSection> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String name = label == null ? null : label.apply(e);
      String at = key(k) + "[" + (name != null ? name : i) + "]";
      if (e == null || e.isNull() || !e.isObject()) throw error(at, "must be a mapping of keys to values");
      out.add(new YamlSection(file, at, e, keys, errors));
    }
    return out;
  }

  /** A required string. */
  public String requiredText(String k) {
    String v = text(k, null);
    if (v == null) throw error(key(k), "is required");
    return v;
  }

  /** An error naming key {@code k} of this section. */
  public RuntimeException invalid(String k, String what) {
    return error(key(k), what);
  }

  public YamlSection section(String k, Set<String> keys) {
    return new YamlSection(file, key(k), get(k), keys, errors);
  }

  public int integer(String k, int def, int min, int max) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw error(key(k), "must be a whole number in " + min + ".." + max + ", got '" + v.asText() + "'");
    }
    return v.asInt();
  }

  public double number(String k, double def, double min, double max) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw error(key(k), "must be a number in " + min + ".." + max + ", got '" + v.asText() + "'");
    }
    return v.asDouble();
  }

  public String choice(String k, String def, Set<String> accepted) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isTextual() || !accepted.contains(v.asText())) {
      throw error(key(k), "got '" + v.asText() + "'; accepted: " + String.join(", ", new TreeSet<>(accepted)));
    }
    return v.asText();
  }

  public boolean bool(String k, boolean def) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isBoolean()) throw error(key(k), "must be true or false, got '" + v.asText() + "'");
    return v.asBoolean();
  }

  public String text(String k, String def) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isTextual()) throw error(key(k), "must be a string, got '" + v + "'");
    return v.asText();
  }

  /** A single value (text, a number or true/false) as text: a case id, an expected answer, an assertion's value. */
  public String scalar(String k, String def) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isValueNode()) throw error(key(k), "must be a single value (text or a number), got '" + v + "'");
    return v.asText();
  }

  /** A required {@link #scalar}. */
  public String requiredScalar(String k) {
    String v = scalar(k, null);
    if (v == null) throw error(key(k), "is required");
    return v;
  }

  public List<String> strings(String k, List<String> def) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (v.isTextual()) return List.of(v.asText());
    if (!v.isArray()) throw error(key(k), "must be a list of strings, got '" + v + "'");
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isValueNode() || e.isNull()) throw error(key(k), "every entry must be a string, got '" + e + "'");
      out.add(e.asText());
    }
    return out;
  }
}
