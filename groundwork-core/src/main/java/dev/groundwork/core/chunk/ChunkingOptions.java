package dev.groundwork.core.chunk;

/**
 * Chunk sizes in {@link dev.groundwork.core.text.Tokens tokens}.
 *
 * @param maxTokens the largest leaf chunk (leaves are what gets embedded and searched)
 * @param overlapTokens how much of the previous leaf's tail a leaf repeats (whole sentences)
 * @param hierarchical whether leaves link to parent sections for auto-merge
 * @param parentMaxTokens the largest parent; longer sections become several parents
 */
public record ChunkingOptions(int maxTokens, int overlapTokens, boolean hierarchical, int parentMaxTokens) {
  public static final ChunkingOptions DEFAULT = new ChunkingOptions(256, 32, true, 1024);

  public ChunkingOptions {
    if (maxTokens < 16 || maxTokens > 8192) throw new IllegalArgumentException("chunking.max_tokens must be in 16..8192, got " + maxTokens);
    if (overlapTokens < 0 || overlapTokens >= maxTokens / 2)
      throw new IllegalArgumentException("chunking.overlap_tokens must be in 0.." + (maxTokens / 2 - 1) + " (under half of max_tokens), got " + overlapTokens);
    if (parentMaxTokens < maxTokens) throw new IllegalArgumentException("chunking.parent_max_tokens (" + parentMaxTokens + ") must be >= max_tokens (" + maxTokens + ")");
  }
}
