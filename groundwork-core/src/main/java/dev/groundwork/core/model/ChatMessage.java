package dev.groundwork.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param toolCalls tool calls an assistant message made (empty otherwise)
 * @param toolCallId for a {@code TOOL} message, the id of the call it answers
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId) {
  public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    content = content == null ? "" : content;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) throw new IllegalArgumentException("a tool message needs toolCallId");
  }

  public static ChatMessage system(String text) {
    return new ChatMessage(Role.SYSTEM, text, List.of(), null);
  }

  public static ChatMessage user(String text) {
    return new ChatMessage(Role.USER, text, List.of(), null);
  }

  public static ChatMessage assistant(String text) {
    return new ChatMessage(Role.ASSISTANT, text, List.of(), null);
  }

  public static ChatMessage tool(String callId, String result) {
    return new ChatMessage(Role.TOOL, result, List.of(), callId);
  }
}
