package dev.groundwork.core.model;

import java.util.List;

/**
 * A model's reply.
 *
 * @param model the model that answered (as the provider names it)
 * @param finishReason e.g. {@code stop}, {@code length}, {@code tool_calls}
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, TokenUsage usage, String model, String finishReason) {
  public ChatResponse {
    text = text == null ? "" : text;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? TokenUsage.ZERO : usage;
  }
}
