package dev.groundwork.cli;

import dev.groundwork.app.ProjectConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** The model choice on the command line; it overrides groundwork.yaml's answer and models sections. */
final class ModelFlags {
  @Option(names = "--model", paramLabel = "MODEL", description = {
      "extractive (default, offline), openai:MODEL (also vLLM, Ollama, llama.cpp server, LM Studio),",
      "anthropic:MODEL, or llamacpp:PATH.gguf / llamacpp:NAME (see `groundwork models`)."})
  String model;

  @Option(names = "--fallback", paramLabel = "MODEL", description = "A model to answer when the previous one fails (repeatable).")
  List<String> fallbacks;

  @Option(names = "--base-url", paramLabel = "URL", description = "The API base URL of --model's provider (default: OPENAI_BASE_URL / ANTHROPIC_BASE_URL).")
  String baseUrl;

  @Option(names = "--api-key", paramLabel = "KEY", description = "The API key of --model's provider (default: OPENAI_API_KEY / ANTHROPIC_API_KEY).")
  String apiKey;

  /** The project's groundwork.yaml with these flags on top. */
  ProjectConfig config(ProjectOption project) {
    return apply(ProjectConfig.load(project.root().resolve(ProjectConfig.FILE)));
  }

  ProjectConfig apply(ProjectConfig c) {
    if (model == null && fallbacks == null && baseUrl == null && apiKey == null) return c;
    return c.withModels(c.models().override(model, fallbacks, baseUrl, apiKey));
  }
}
