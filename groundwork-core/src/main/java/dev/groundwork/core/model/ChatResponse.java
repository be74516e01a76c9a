package dev.groundwork.core.model;

import java.util.List;

/**
 * A model's reply.
 *
 * @param model the model that answered (as the provider names it)
 * @param finishReason e.g. {@code stop}, {@code length}, {@code tool_calls}
 * @param trace how the reply came about (which configured model answered, after how many attempts,
 *     which models were skipped); filled in by the retry and fallback decorators, null means a plain
 *     first-attempt answer
 * @param meanLogprob the mean log-probability of the reply's tokens, when asked for ({@link
 *     ChatRequest#logprobs}) and the provider returned them; null otherwise
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, TokenUsage usage, String model, String finishReason, Trace trace,
    Double meanLogprob) {
  /**
   * @param answeredBy the Groundwork name of the model that answered, e.g. {@code openai:gpt-4.1-mini}
   * @param attempts attempts the answering model needed (1 = first try)
   * @param failures the errors of the failed attempts and skipped models, in order
   * @param fallback true when an earlier model in a fallback chain failed and a later one answered
   * @param cached true when the reply came from the response cache (no call was made, nothing billed)
   */
  public record Trace(String answeredBy, int attempts, List<String> failures, boolean fallback, boolean cached) {
    public Trace {
      failures = List.copyOf(failures);
    }

    public Trace(String answeredBy, int attempts, List<String> failures, boolean fallback) {
      this(answeredBy, attempts, failures, fallback, false);
    }
  }

  public ChatResponse {
    text = text == null ? "" : text;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? TokenUsage.ZERO : usage;
  }

  public ChatResponse(String text, List<ToolCall> toolCalls, TokenUsage usage, String model, String finishReason, Trace trace) {
    this(text, toolCalls, usage, model, finishReason, trace, null);
  }

  public ChatResponse(String text, List<ToolCall> toolCalls, TokenUsage usage, String model, String finishReason) {
    this(text, toolCalls, usage, model, finishReason, null, null);
  }

  public ChatResponse withTrace(Trace t) {
    return new ChatResponse(text, toolCalls, usage, model, finishReason, t, meanLogprob);
  }

  public ChatResponse withMeanLogprob(Double mean) {
    return new ChatResponse(text, toolCalls, usage, model, finishReason, trace, mean);
  }

  /** The trace, or a first-attempt trace naming {@code modelName} when none was recorded. */
  public Trace traceOr(String modelName) {
    return trace != null ? trace : new Trace(modelName, 1, List.of(), false);
  }
}
