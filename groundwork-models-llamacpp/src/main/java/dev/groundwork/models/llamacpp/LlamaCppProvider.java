package dev.groundwork.models.llamacpp;

import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatModelProvider;
import dev.groundwork.core.model.ModelSettings;
import java.nio.file.Path;

/**
 * {@code llamacpp:PATH.gguf}, or {@code llamacpp:NAME} for a model pulled into the models folder
 * (see {@link ModelCatalog#resolve}); {@code llamacpp:BASE+ADAPTER.gguf} serves the base model with a
 * LoRA adapter applied (several: {@code BASE+A.gguf+B.gguf}). An adapter must be a LoRA GGUF for the
 * base's architecture. The context window defaults to 4096 tokens.
 */
public final class LlamaCppProvider implements ChatModelProvider {
  static final int DEFAULT_CONTEXT = 4096;

  @Override
  public String prefix() {
    return "llamacpp";
  }

  /** In-process: no per-token price. */
  @Override
  public boolean local() {
    return true;
  }

  @Override
  public ChatModel chatModel(String model, ModelSettings s) {
    Path dir = s.modelsDir() != null ? s.modelsDir() : ModelCatalog.defaultDir(s.env());
    java.util.List<String> parts = parts(model);
    Path file = ModelCatalog.resolve(parts.get(0), dir);
    java.util.List<Path> adapters = new java.util.ArrayList<>();
    for (String a : parts.subList(1, parts.size())) adapters.add(adapter(file, Path.of(a)));
    int ctx = s.contextWindow() != null ? s.contextWindow() : DEFAULT_CONTEXT;
    return new LlamaCppChatModel("llamacpp:" + model, file, adapters, ctx, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Counts with the GGUF's own tokenizer (llama.cpp loads the model, memory-mapped, on the first
   * count); an adapter does not change the tokenizer, so {@code BASE+ADAPTER} counts with the base's.
   * The window is the one served by default.
   */
  @Override
  public dev.groundwork.core.model.TokenCounter tokenCounter(String model) {
    Path file = ModelCatalog.resolve(parts(model).get(0), ModelCatalog.defaultDir(System.getenv()));
    LlamaCppChatModel m = new LlamaCppChatModel("llamacpp:" + model, file, DEFAULT_CONTEXT, Math.max(1, Runtime.getRuntime().availableProcessors()));
    return new dev.groundwork.core.model.TokenCounter(m::countTokens, true, "the GGUF's own tokenizer (llama.cpp)", DEFAULT_CONTEXT);
  }

  /**
   * A model spec's parts: the base model, then the LoRA adapters ({@code BASE+A.gguf+B.gguf}). A path
   * that exists is the model itself, '+' in its name or not.
   */
  public static java.util.List<String> parts(String model) {
    if (java.nio.file.Files.isRegularFile(Path.of(model)) || !model.contains("+")) return java.util.List.of(model);
    return java.util.List.of(model.split("\\+"));
  }

  /** Checks that {@code adapter} is a LoRA GGUF for {@code base}'s architecture. */
  static Path adapter(Path base, Path adapter) {
    if (!java.nio.file.Files.isRegularFile(adapter)) throw new IllegalArgumentException("llamacpp: no LoRA adapter file at " + adapter);
    GgufMetadata a, b;
    try {
      a = GgufMetadata.read(adapter);
      b = GgufMetadata.read(base);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("llamacpp: " + e.getMessage());
    }
    if (!a.isLoraAdapter()) {
      throw new IllegalArgumentException("llamacpp: " + adapter + " is not a LoRA adapter (general.type " + a.type() + ", adapter.type " + a.adapterType()
          + "); a merged model is served on its own, without '+'");
    }
    if (a.architecture() != null && b.architecture() != null && !a.architecture().equals(b.architecture())) {
      throw new IllegalArgumentException("llamacpp: the adapter " + adapter + " is for " + a.architecture() + ", but " + base + " is " + b.architecture());
    }
    return adapter;
  }
}
