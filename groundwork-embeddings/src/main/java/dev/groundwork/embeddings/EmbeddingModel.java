package dev.groundwork.embeddings;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The local embedding models Groundwork ships (inside LangChain4j's model artifacts on Maven
 * Central, so they need no download).
 *
 * @param name the name used in config and cache keys
 * @param onnxResource class-path resource of the ONNX graph
 * @param tokenizerResource class-path resource of the HuggingFace tokenizer.json
 * @param clsPooling true: the [CLS] vector (bge); false: mean of token vectors (MiniLM)
 * @param queryPrefix prepended to queries only (bge's retrieval instruction)
 */
public record EmbeddingModel(String name, String onnxResource, String tokenizerResource, boolean clsPooling,
    String queryPrefix, int dimension, int maxTokens) {

  static final String BGE_QUERY = "Represent this sentence for searching relevant passages: ";

  public static final List<EmbeddingModel> ALL = List.of(
      new EmbeddingModel("bge-small-en-v1.5-q", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", true, BGE_QUERY, 384, 512),
      new EmbeddingModel("bge-small-en-v1.5", "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json", true, BGE_QUERY, 384, 512),
      new EmbeddingModel("all-minilm-l6-v2-q", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", false, "", 384, 256),
      new EmbeddingModel("all-minilm-l6-v2", "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", false, "", 384, 256));

  public static final String DEFAULT = "bge-small-en-v1.5-q";

  private static final Map<String, EmbeddingModel> BY_NAME =
      ALL.stream().collect(Collectors.toMap(EmbeddingModel::name, Function.identity()));

  /** The model called {@code name} (also accepts the prefix {@code local:}). */
  public static EmbeddingModel named(String name) {
    String n = name.startsWith("local:") ? name.substring(6) : name;
    EmbeddingModel m = BY_NAME.get(n);
    if (m == null) {
      throw new IllegalArgumentException("unknown embedder '" + name + "'; accepted: "
          + ALL.stream().map(EmbeddingModel::name).collect(Collectors.joining(", ")));
    }
    return m;
  }
}
