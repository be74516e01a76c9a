package dev.groundwork.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validated access to one mapping of a YAML file. Every error names the file, the dotted
 * path of the key, what was found and what is accepted. Unknown keys are errors (a typo must not
 * silently fall back to a default).
 */
final class YamlSection {
  private final String file;
  private final String path;
  private final JsonNode node;

  YamlSection(String file, String path, JsonNode node, Set<String> keys) {
    this.file = file;
    this.path = path;
    this.node = node;
    if (node != null && !node.isNull()) {
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
        throw new ConfigException(file + ": unknown key '" + key(unknown.get(0)) + "'; accepted keys"
            + (path.isEmpty() ? "" : " under " + path) + ": " + String.join(", ", new TreeSet<>(keys)));
      }
    }
  }

  private String key(String k) {
    return path.isEmpty() ? k : path + "." + k;
  }

  private ConfigException error(String key, String what) {
    return new ConfigException(file + ": " + key + ": " + what);
  }

  private JsonNode get(String k) {
    if (node == null || node.isNull()) return null;
    JsonNode v = node.get(k);
    return v == null || v.isNull() ? null : v;
  }

  /** The keys present in this section, in file order. */
  List<String> keys() {
    List<String> out = new ArrayList<>();
    if (node != null && node.isObject()) node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The entries of list {@code k} as sections with {@code keys}; empty when absent. */
  List<YamlSection> sections(String k, Set<String> keys) {
    JsonNode v = get(k);
    if (v == null) return List.of();
    if (!v.isArray()) throw error(key(k), "must be a list");
    List<YamlSection> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) out.add(new YamlSection(file, key(k) + "[" + i + "]", v.get(i), keys));
    return out;
  }

  /** A required string. */
  String requiredText(String k) {
    String v = text(k, null);
    if (v == null) throw error(key(k), "is required");
    return v;
  }

  /** An error naming key {@code k} of this section. */
  ConfigException invalid(String k, String what) {
    return error(key(k), what);
  }

  YamlSection section(String k, Set<String> keys) {
    return new YamlSection(file, key(k), get(k), keys);
  }

  int integer(String k, int def, int min, int max) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw error(key(k), "must be a whole number in " + min + ".." + max + ", got '" + v.asText() + "'");
    }
    return v.asInt();
  }

  double number(String k, double def, double min, double max) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw error(key(k), "must be a number in " + min + ".." + max + ", got '" + v.asText() + "'");
    }
    return v.asDouble();
  }

  String choice(String k, String def, Set<String> accepted) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isTextual() || !accepted.contains(v.asText())) {
      throw error(key(k), "got '" + v.asText() + "'; accepted: " + String.join(", ", new TreeSet<>(accepted)));
    }
    return v.asText();
  }

  boolean bool(String k, boolean def) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isBoolean()) throw error(key(k), "must be true or false, got '" + v.asText() + "'");
    return v.asBoolean();
  }

  String text(String k, String def) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (!v.isTextual()) throw error(key(k), "must be a string, got '" + v + "'");
    return v.asText();
  }

  List<String> strings(String k, List<String> def) {
    JsonNode v = get(k);
    if (v == null) return def;
    if (v.isTextual()) return List.of(v.asText());
    if (!v.isArray()) throw error(key(k), "must be a list of paths, got '" + v + "'");
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) throw error(key(k), "every entry must be a string, got '" + e + "'");
      out.add(e.asText());
    }
    return out;
  }
}
