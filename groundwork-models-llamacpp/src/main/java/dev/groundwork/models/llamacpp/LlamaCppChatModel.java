package dev.groundwork.models.llamacpp;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.TokenUsage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A GGUF model run in-process by llama.cpp. The model loads on first use and stays loaded; calls
 * are serialized (one context). The prompt is built with the model's own chat template. Greedy by
 * default: temperature 0 with a fixed seed gives the same text for the same prompt. Token counts are
 * exact (the model's tokenizer). Tools and JSON Schemas are not passed to the model (the caller
 * validates JSON replies). Thread-safe. Close it to free the model's memory.
 */
public final class LlamaCppChatModel implements ChatModel, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_MAX_TOKENS = 256;
  private static final long DEFAULT_SEED = 42;

  private final String name;
  private final Path file;
  private final List<Path> adapters;
  private final int contextWindow;
  private final int threads;
  private LlamaModel model;

  public LlamaCppChatModel(String name, Path file, int contextWindow, int threads) {
    this(name, file, List.of(), contextWindow, threads);
  }

  /** @param adapters LoRA adapters (GGUF) applied over the model, at their own scale */
  public LlamaCppChatModel(String name, Path file, List<Path> adapters, int contextWindow, int threads) {
    this.name = name;
    this.file = file;
    this.adapters = List.copyOf(adapters);
    this.contextWindow = contextWindow;
    this.threads = threads;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int contextWindow() {
    return contextWindow;
  }

  @Override
  public synchronized int countTokens(String text) {
    return load().encode(text).length;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return stream(request, t -> {});
  }

  @Override
  public synchronized ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    LlamaModel m = load();
    String prompt = prompt(m, request.messages());
    int promptTokens = m.encode(prompt).length;
    int maxTokens = request.maxTokens() == null ? DEFAULT_MAX_TOKENS : request.maxTokens();
    if (promptTokens + maxTokens > contextWindow) {
      throw new ModelException(name, ModelException.Kind.CONTEXT_LENGTH_EXCEEDED,
          "the prompt (" + promptTokens + " tokens) plus the reply limit (" + maxTokens + ") exceeds the context window (" + contextWindow + ")");
    }
    double temp = request.temperature() == null ? 0 : request.temperature();
    InferenceParameters p = new InferenceParameters(prompt).setTemperature((float) temp).setNPredict(maxTokens)
        .setSeed((int) (request.seed() == null ? DEFAULT_SEED : request.seed())).setCachePrompt(false);
    if (temp == 0) p.setTopK(1);
    StringBuilder text = new StringBuilder();
    try {
      for (LlamaOutput o : m.generate(p)) {
        text.append(o.text);
        if (!o.text.isEmpty()) onToken.accept(o.text);
      }
    } catch (RuntimeException e) {
      throw new ModelException(name, ModelException.Kind.SERVER_ERROR, "llama.cpp failed: " + e.getMessage(), null, e);
    }
    int out = text.isEmpty() ? 0 : m.encode(text.toString()).length;
    String finish = out >= maxTokens ? "length" : "stop";
    return new ChatResponse(text.toString(), List.of(), new TokenUsage(promptTokens, 0, out, false), file.getFileName().toString(), finish);
  }

  /** The messages through the model's chat template (ChatML when the model has none). */
  private static String prompt(LlamaModel m, List<ChatMessage> messages) {
    List<Map<String, String>> msgs = new ArrayList<>();
    for (ChatMessage c : messages) {
      Map<String, String> mm = new LinkedHashMap<>();
      mm.put("role", switch (c.role()) {
        case SYSTEM -> "system";
        case USER -> "user";
        case ASSISTANT -> "assistant";
        case TOOL -> "user";
      });
      mm.put("content", c.content());
      msgs.add(mm);
    }
    try {
      return m.applyTemplate(JSON.writeValueAsString(Map.of("messages", msgs)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private LlamaModel load() {
    if (model == null) {
      // loading the native library prints to stdout, which belongs to --json output: send it to stderr
      PrintStream out = System.out;
      synchronized (LlamaCppChatModel.class) {
        System.setOut(System.err);
        try {
          LlamaModel.setLogger(LogFormat.TEXT, (level, msg) -> {
            if (level == de.kherud.llama.LogLevel.ERROR) System.err.print("llama.cpp: " + msg);
          });
          ModelParameters mp = new ModelParameters().setModel(file.toString()).setCtxSize(contextWindow).setThreads(threads);
          for (Path a : adapters) mp.addLoraAdapter(a.toString());
          model = new LlamaModel(mp);
        } catch (RuntimeException e) {
          throw new ModelException(name, ModelException.Kind.BAD_REQUEST, "cannot load " + file + (adapters.isEmpty() ? "" : " with " + adapters) + ": "
              + e.getMessage(), null, e);
        } finally {
          System.setOut(out);
        }
      }
    }
    return model;
  }

  @Override
  public synchronized void close() {
    if (model != null) {
      model.close();
      model = null;
    }
  }
}
