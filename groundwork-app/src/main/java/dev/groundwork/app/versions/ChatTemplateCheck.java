package dev.groundwork.app.versions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.models.llamacpp.GgufMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a GGUF must get right before it is promoted, because a GGUF export gets it wrong silently:
 * a chat template (without one, llama.cpp guesses, and the model no longer sees the prompt it was
 * trained on); an end-of-sequence token; a template that emits that token (or the end-of-turn one) to
 * close a turn, so generation stops; and, when the training output beside the GGUF holds the
 * tokenizer's {@code tokenizer_config.json}, the same template the training rendered its examples
 * with (compared with whitespace collapsed).
 */
final class ChatTemplateCheck {
  /** @param problems what is wrong (empty: it passed); @param checked what was compared */
  record Result(List<String> problems, List<String> checked) {
    boolean passed() {
      return problems.isEmpty();
    }

    /** Both results' problems and checks. */
    Result and(Result other) {
      List<String> p = new ArrayList<>(problems), c = new ArrayList<>(checked);
      p.addAll(other.problems());
      c.addAll(other.checked());
      return new Result(List.copyOf(p), List.copyOf(c));
    }
  }

  /** The reply limit a probe of {@link #generationStops} may use before it counts as running on. */
  static final int PROBE_TOKENS = 256;

  /** The probes: short chats a tuned assistant answers in a sentence or two. */
  static final List<String> PROBES = List.of("Hello.", "Say one short sentence.");

  /**
   * Runs {@code model} (greedy) on short probes: each reply must end because the model produced its
   * end-of-sequence (or end-of-turn) token, within {@code maxTokens}; a reply cut at the limit means
   * generation would run past the answer in production too.
   */
  static Result generationStops(dev.groundwork.core.model.ChatModel model, int maxTokens) {
    List<String> problems = new ArrayList<>(), checked = new ArrayList<>();
    for (String probe : PROBES) {
      dev.groundwork.core.model.ChatResponse r;
      try {
        r = model.chat(new dev.groundwork.core.model.ChatRequest(List.of(dev.groundwork.core.model.ChatMessage.user(probe)), 0.0, maxTokens, List.of(), null,
            42L));
      } catch (RuntimeException e) {
        problems.add("the model could not be run to check that generation stops: " + e.getMessage());
        return new Result(problems, checked);
      }
      if ("length".equals(r.finishReason())) {
        problems.add("generation did not stop: asked \"" + probe + "\", the model ran to the " + maxTokens + "-token limit without its end-of-sequence token");
        return new Result(problems, checked);
      }
    }
    checked.add("generation stops at the end token (" + PROBES.size() + " probes, under " + maxTokens + " tokens each)");
    return new Result(problems, checked);
  }

  private ChatTemplateCheck() {}

  static Result check(Path gguf) {
    List<String> problems = new ArrayList<>(), checked = new ArrayList<>();
    GgufMetadata m;
    try {
      m = GgufMetadata.read(gguf);
    } catch (IOException e) {
      return new Result(List.of("cannot read the GGUF: " + e.getMessage()), checked);
    }
    if (m.chatTemplate() == null || m.chatTemplate().isBlank()) {
      problems.add("the GGUF has no tokenizer.chat_template: llama.cpp would guess one, and the model would not see the prompt it was trained on;"
          + " export it with the tokenizer's template (convert_hf_to_gguf.py keeps tokenizer_config.json's chat_template)");
    } else {
      checked.add("chat template present");
    }
    if (m.eosTokenId() == null || m.eosToken() == null) {
      problems.add("the GGUF names no end-of-sequence token (tokenizer.ggml.eos_token_id): generation would not know where to stop");
    } else {
      checked.add("end-of-sequence token " + m.eosToken());
      String t = m.chatTemplate();
      if (t != null && !t.isBlank() && !t.contains(m.eosToken()) && (m.eotToken() == null || !t.contains(m.eotToken())) && !t.contains("eos_token")) {
        problems.add("the chat template never emits the end-of-sequence token " + m.eosToken() + (m.eotToken() == null ? "" : " or the end-of-turn token " + m.eotToken())
            + ": trained turns end with it, so generation would run on past the answer");
      } else if (t != null && !t.isBlank()) {
        checked.add("the template closes turns with it");
      }
    }
    Path config = trainingTokenizerConfig(gguf);
    if (config != null && m.chatTemplate() != null) {
      String trained = template(config);
      if (trained == null) {
        checked.add(config.getFileName() + " has no chat_template to compare");
      } else if (!squash(trained).equals(squash(m.chatTemplate()))) {
        problems.add("the GGUF's chat template differs from the one training used (" + config + "): the served model would see prompts in another format;"
            + " export again from the training output");
      } else {
        checked.add("the same template as training (" + config.getFileName() + ")");
      }
    }
    return new Result(problems, checked);
  }

  /** {@code tokenizer_config.json} beside the GGUF (the trainer's output folder), or null. */
  private static Path trainingTokenizerConfig(Path gguf) {
    Path dir = gguf.toAbsolutePath().getParent();
    Path config = dir == null ? null : dir.resolve("tokenizer_config.json");
    return config != null && Files.isRegularFile(config) ? config : null;
  }

  /** The chat template of a tokenizer_config.json: a string, or the {@code default} of a list of named templates. */
  private static String template(Path config) {
    try {
      JsonNode n = VersionRegistry.JSON.readTree(config.toFile()).path("chat_template");
      if (n.isTextual()) return n.asText();
      if (n.isArray()) {
        for (JsonNode t : n) if ("default".equals(t.path("name").asText())) return t.path("template").asText(null);
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
