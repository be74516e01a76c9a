package dev.groundwork.core;

/**
 * A follow-up question of a conversation as it was asked, and the standalone query retrieval and the
 * answerer used instead.
 *
 * @param original the last user message as asked
 * @param query what was searched for and answered
 * @param method {@code rule} (the offline rule filled in the topic from earlier turns), {@code model:NAME}
 *     (that model condensed the conversation), or {@code none} (the question stood on its own)
 * @param note why the method is what it is, when it is not the configured one (e.g. the model failed), or null
 */
public record QueryRewrite(String original, String query, String method, String note) {
  public boolean changed() {
    return !original.equals(query);
  }
}
