package dev.groundwork.core.spi;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Metadata restrictions on a search: every entry must match. Fields: {@code source} (exact path, or
 * a prefix when the value ends with {@code *}), {@code media_type}, {@code title}, {@code page}.
 */
public record Filter(Map<String, String> fields) {
  public static final Filter NONE = new Filter(Map.of());
  public static final java.util.Set<String> FIELDS = java.util.Set.of("source", "media_type", "title", "page");

  public Filter {
    fields = Map.copyOf(Objects.requireNonNull(fields));
    for (String k : fields.keySet()) {
      if (!FIELDS.contains(k)) {
        throw new IllegalArgumentException("unknown filter field '" + k + "'; accepted: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    }
  }

  /** Parses {@code key=value}. */
  public static Filter parse(Iterable<String> specs) {
    Map<String, String> m = new TreeMap<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("filter '" + s + "' must look like key=value, e.g. source=docs/*");
      m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
    }
    return new Filter(m);
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }
}
