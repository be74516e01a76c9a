package dev.groundwork.models.llamacpp;

import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatModelProvider;
import dev.groundwork.core.model.ModelSettings;
import java.nio.file.Path;

/**
 * {@code llamacpp:PATH.gguf}, or {@code llamacpp:NAME} for a model pulled into the models folder
 * (see {@link ModelCatalog#resolve}). The context window defaults to 4096 tokens.
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
    Path file = ModelCatalog.resolve(model, dir);
    int ctx = s.contextWindow() != null ? s.contextWindow() : DEFAULT_CONTEXT;
    return new LlamaCppChatModel("llamacpp:" + model, file, ctx, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }
}
