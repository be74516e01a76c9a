package dev.groundwork.tuning.dataset;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One training example of the canonical dataset: a chat (system, user with the sources, assistant)
 * and its lineage.
 *
 * @param id unique in its file: {@code log:QUERY_ID} or {@code eval:SUITE/CASE}
 * @param task {@code grounded-qa}, {@code format}, {@code tone} or {@code distill}
 * @param metadata lineage: {@code source}, {@code query_id} or {@code case_id}, {@code teacher},
 *     {@code logged_at}, {@code built_at}, {@code documents} and {@code documents_hash}
 * @param rejected for a preference pair (DPO), the reply not to give; the last message is the preferred one. Null otherwise.
 */
public record Example(String id, String task, List<Message> messages, Map<String, Object> metadata, String rejected) {
  /** One chat message; role is {@code system}, {@code user} or {@code assistant}. */
  public record Message(String role, String content) {}

  public Example {
    Objects.requireNonNull(id, "id");
    messages = List.copyOf(messages);
    metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }

  public Example(String id, String task, List<Message> messages, Map<String, Object> metadata) {
    this(id, task, messages, metadata, null);
  }

  /** The last user message: the question with its sources. */
  public String prompt() {
    for (int i = messages.size() - 1; i >= 0; i--) if (messages.get(i).role().equals("user")) return messages.get(i).content();
    return "";
  }

  /** The question as asked (metadata {@code question}), else the prompt. */
  public String question() {
    Object q = metadata.get("question");
    return q instanceof String s ? s : prompt();
  }

  /** The assistant's reply the model is trained to give (the last message). */
  public String completion() {
    return messages.isEmpty() ? "" : messages.get(messages.size() - 1).content();
  }
}
