package dev.groundwork.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.ResponseStore;
import dev.groundwork.core.model.TokenUsage;
import dev.groundwork.core.model.ToolCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Model replies on disk, one JSON file per request key (format {@code groundwork-model-call} v1),
 * written to a temporary file and moved into place so a crash never leaves half a reply. A file
 * that cannot be read or has another format is a miss. Thread-safe.
 */
public final class FileResponseStore implements ResponseStore {
  static final String FORMAT = "groundwork-model-call";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public FileResponseStore(Path dir) {
    this.dir = dir;
  }

  private Path file(String key) {
    if (!key.matches("[0-9a-f]{16,128}")) throw new IllegalArgumentException("bad cache key");
    return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
  }

  @Override
  public Optional<ChatResponse> get(String key) {
    Path f = file(key);
    if (!Files.isRegularFile(f)) return Optional.empty();
    try {
      JsonNode n = JSON.readTree(f.toFile());
      if (!FORMAT.equals(n.path("format").asText()) || n.path("version").asInt() != 1) return Optional.empty();
      List<ToolCall> calls = new ArrayList<>();
      for (JsonNode c : n.path("tool_calls")) calls.add(new ToolCall(c.path("id").asText(), c.path("name").asText(), c.path("arguments").asText()));
      JsonNode u = n.path("usage");
      TokenUsage usage = new TokenUsage(u.path("input").asLong(), u.path("cached_input").asLong(), u.path("output").asLong(), u.path("estimated").asBoolean());
      ChatResponse.Trace t = new ChatResponse.Trace(n.path("answered_by").asText(), 1, List.of(), n.path("fallback").asBoolean());
      return Optional.of(new ChatResponse(n.path("text").asText(), calls, usage, n.path("model").asText(null), n.path("finish_reason").asText(null), t));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public void put(String key, ChatResponse r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("version", 1);
    n.put("text", r.text());
    ArrayNode calls = n.putArray("tool_calls");
    for (ToolCall c : r.toolCalls()) calls.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.argumentsJson());
    n.putObject("usage").put("input", r.usage().inputTokens()).put("cached_input", r.usage().cachedInputTokens())
        .put("output", r.usage().outputTokens()).put("estimated", r.usage().estimated());
    n.put("model", r.model());
    n.put("finish_reason", r.finishReason());
    if (r.trace() != null) {
      n.put("answered_by", r.trace().answeredBy());
      n.put("fallback", r.trace().fallback());
    }
    Path f = file(key);
    try {
      Files.createDirectories(f.getParent());
      Path tmp = Files.createTempFile(f.getParent(), key, ".tmp");
      JSON.writeValue(tmp.toFile(), n);
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // a reply that cannot be cached is simply asked for again next time
    }
  }
}
