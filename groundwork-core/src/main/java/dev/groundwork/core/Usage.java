package dev.groundwork.core;

/** Token counts of one answer. Embedding tokens count the query embedding. */
public record Usage(long inputTokens, long outputTokens, long embeddingTokens) {
  public static final Usage NONE = new Usage(0, 0, 0);

  public Usage plus(Usage o) {
    return new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens, embeddingTokens + o.embeddingTokens);
  }
}
