package dev.groundwork.models.llamacpp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Small GGUF models a newcomer can pull by name. Sizes and checksums are as published; a null
 * checksum is taken from the server's {@code X-Linked-ETag} (Hugging Face sends the file's SHA-256
 * there) when it offers one.
 */
public final class ModelCatalog {
  /**
   * @param sha256 the file's SHA-256 in hex, or null when not pinned
   * @param bytes the published size, or 0 when unknown
   */
  public record Entry(String name, String description, String url, String fileName, String sha256, long bytes) {}

  public static final List<Entry> ENTRIES = List.of(
      new Entry("qwen2.5-0.5b-instruct", "Qwen2.5 0.5B Instruct, Q4_K_M (fast, fits anywhere)",
          "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
          "qwen2.5-0.5b-instruct-q4_k_m.gguf", null, 491_400_032L),
      new Entry("qwen2.5-1.5b-instruct", "Qwen2.5 1.5B Instruct, Q4_K_M (better answers, ~1 GB)",
          "https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf",
          "qwen2.5-1.5b-instruct-q4_k_m.gguf", null, 1_117_320_736L),
      new Entry("llama-3.2-1b-instruct", "Llama 3.2 1B Instruct, Q4_K_M",
          "https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/Llama-3.2-1B-Instruct-Q4_K_M.gguf",
          "Llama-3.2-1B-Instruct-Q4_K_M.gguf", null, 807_694_464L),
      new Entry("stories260k", "TinyStories 260K (1 MB, babble; for smoke tests only)",
          "https://huggingface.co/ggml-org/models/resolve/main/tinyllamas/stories260K.gguf",
          "stories260K.gguf", "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d", 1_185_376L));

  private static final Map<String, Entry> BY_NAME;

  static {
    java.util.Map<String, Entry> m = new java.util.LinkedHashMap<>();
    for (Entry e : ENTRIES) m.put(e.name(), e);
    BY_NAME = java.util.Collections.unmodifiableMap(m);
  }

  private ModelCatalog() {}

  public static Optional<Entry> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The folder models are pulled to: {@code $GROUNDWORK_MODELS_DIR}, else {@code ~/.groundwork/models}.
   */
  public static Path defaultDir(Map<String, String> env) {
    String d = env.get("GROUNDWORK_MODELS_DIR");
    if (d != null && !d.isBlank()) return Path.of(d);
    return Path.of(System.getProperty("user.home"), ".groundwork", "models");
  }

  /**
   * The file for {@code llamacpp:SPEC}: a path when SPEC names an existing file or ends in
   * {@code .gguf}; else a catalog name or a file name in {@code dir}.
   *
   * @throws IllegalArgumentException naming what was looked for and how to get it
   */
  public static Path resolve(String spec, Path dir) {
    Path asPath = Path.of(spec);
    if (Files.isRegularFile(asPath)) return asPath;
    if (spec.endsWith(".gguf") && (spec.contains("/") || spec.contains("\\"))) {
      throw new IllegalArgumentException("llamacpp: no model file at " + spec);
    }
    Optional<Entry> e = find(spec);
    Path candidate = dir.resolve(e.map(Entry::fileName).orElse(spec.endsWith(".gguf") ? spec : spec + ".gguf"));
    if (Files.isRegularFile(candidate)) return candidate;
    throw new IllegalArgumentException("llamacpp: model '" + spec + "' is not in " + dir
        + (e.isPresent() ? "; run: groundwork models pull " + e.get().name() : "; give a .gguf path, or pull one of: "
            + String.join(", ", BY_NAME.keySet())));
  }
}
