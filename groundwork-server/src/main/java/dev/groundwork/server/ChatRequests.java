package dev.groundwork.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ToolCall;
import dev.groundwork.core.model.ToolSpec;
import dev.groundwork.core.retrieve.FollowUps;
import dev.groundwork.core.text.CleanText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenAI chat-completion request bodies read into Groundwork's types, and tool calls written back. */
final class ChatRequests {
  private ChatRequests() {}

  /** The last user message's text (a string, or the text parts of a content array). */
  static String lastUserMessage(JsonNode body) {
    JsonNode msgs = body.path("messages");
    if (!msgs.isArray() || msgs.isEmpty()) throw new Http.BadRequest("'messages' must be a non-empty array");
    for (int i = msgs.size() - 1; i >= 0; i--) {
      JsonNode m = msgs.get(i);
      if (!"user".equals(m.path("role").asText())) continue;
      String text = text(m.path("content"));
      if (!text.isEmpty()) return text;
      throw new Http.BadRequest("the last user message has no text content");
    }
    throw new Http.BadRequest("'messages' has no user message to answer");
  }

  /**
   * The user and assistant turns before the last user message, oldest first, with their text (system
   * and tool messages are left out): what a follow-up question may lean on.
   */
  static List<FollowUps.Turn> earlierTurns(JsonNode body) {
    JsonNode msgs = body.path("messages");
    int last = -1;
    for (int i = msgs.size() - 1; i >= 0; i--) {
      if ("user".equals(msgs.get(i).path("role").asText())) {
        last = i;
        break;
      }
    }
    List<FollowUps.Turn> out = new ArrayList<>();
    for (int i = 0; i < last; i++) {
      JsonNode m = msgs.get(i);
      String role = m.path("role").asText();
      if (!role.equals("user") && !role.equals("assistant")) continue;
      String text = text(m.path("content"));
      if (!text.isEmpty()) out.add(new FollowUps.Turn(role, CleanText.of(text)));
    }
    return out;
  }

  /** A message's text: the string, or its text parts joined; empty when it has none. */
  private static String text(JsonNode content) {
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    if (content.isArray()) for (JsonNode part : content) if ("text".equals(part.path("type").asText())) sb.append(part.path("text").asText()).append(' ');
    return sb.toString().strip();
  }

  /** An OpenAI request as a chat request: messages (text parts), tool calls and results, tools, response format. */
  static ChatRequest toChatRequest(JsonNode body) {
    List<ChatMessage> msgs = new ArrayList<>();
    for (JsonNode m : body.path("messages")) {
      String text = m.path("content").isTextual() ? m.path("content").asText() : "";
      if (m.path("content").isArray()) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : m.path("content")) if ("text".equals(part.path("type").asText())) sb.append(part.path("text").asText());
        text = sb.toString();
      }
      text = CleanText.of(text);
      String role = m.path("role").asText();
      msgs.add(switch (role) {
        case "system", "developer" -> ChatMessage.system(text);
        case "user" -> ChatMessage.user(text);
        case "assistant" -> {
          List<ToolCall> calls = new ArrayList<>();
          for (JsonNode c : m.path("tool_calls")) {
            calls.add(new ToolCall(c.path("id").asText(), c.path("function").path("name").asText(),
                c.path("function").path("arguments").asText("{}")));
          }
          yield new ChatMessage(ChatMessage.Role.ASSISTANT, text, calls, null);
        }
        case "tool" -> {
          String callId = m.path("tool_call_id").asText("");
          if (callId.isEmpty()) throw new Http.BadRequest("a tool message needs tool_call_id");
          yield ChatMessage.tool(callId, text);
        }
        default -> throw new Http.BadRequest("unsupported message role '" + role + "' (system, developer, user, assistant, tool)");
      });
    }
    List<ToolSpec> tools = new ArrayList<>();
    for (JsonNode t : body.path("tools")) {
      JsonNode f = t.path("function");
      if (!"function".equals(t.path("type").asText()) || !f.hasNonNull("name")) throw new Http.BadRequest("tools must be {type: function, function: {name, ...}}");
      try {
        tools.add(new ToolSpec(f.get("name").asText(), f.path("description").asText(""),
            f.has("parameters") ? f.get("parameters").toString() : null));
      } catch (IllegalArgumentException e) {
        throw new Http.BadRequest(e.getMessage());
      }
    }
    String schema = null;
    JsonNode rf = body.path("response_format");
    if ("json_schema".equals(rf.path("type").asText())) {
      if (!rf.path("json_schema").path("schema").isObject()) throw new Http.BadRequest("response_format.json_schema.schema must be a JSON Schema object");
      schema = rf.path("json_schema").path("schema").toString();
    } else if ("json_object".equals(rf.path("type").asText())) {
      schema = "{\"type\":\"object\"}";
    }
    Double temp = body.hasNonNull("temperature") ? body.get("temperature").asDouble() : null;
    Integer max = body.hasNonNull("max_tokens") ? Integer.valueOf(body.get("max_tokens").asInt())
        : body.hasNonNull("max_completion_tokens") ? Integer.valueOf(body.get("max_completion_tokens").asInt()) : null;
    Long seed = body.hasNonNull("seed") ? body.get("seed").asLong() : null;
    try {
      return new ChatRequest(msgs, temp, max, tools, schema, seed);
    } catch (IllegalArgumentException e) {
      throw new Http.BadRequest(e.getMessage());
    }
  }

  /** Tool calls in OpenAI's shape; a stream's delta numbers them with {@code index}. */
  static List<Map<String, Object>> toolCalls(List<ToolCall> calls, boolean indexed) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var call : calls) {
      Map<String, Object> c = new LinkedHashMap<>();
      if (indexed) c.put("index", out.size());
      c.put("id", call.id());
      c.put("type", "function");
      c.put("function", Map.of("name", call.name(), "arguments", call.argumentsJson()));
      out.add(c);
    }
    return out;
  }
}
