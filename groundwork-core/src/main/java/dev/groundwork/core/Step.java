package dev.groundwork.core;

import dev.groundwork.core.model.TokenUsage;
import java.util.List;

/**
 * One priced step of an answer: {@code embed_query}, {@code generate}, {@code schema_retry}, ...
 *
 * @param model the model that did the work
 * @param costUsd the step's cost, or null when the model's price is unknown
 * @param attempts calls it took (failed attempts are not billed by providers, but are counted here)
 * @param cached true when the reply came from the response cache: no call, no cost
 */
public record Step(String name, String model, TokenUsage usage, Double costUsd, int attempts, boolean cached) {
  public Step(String name, String model, TokenUsage usage, Double costUsd, int attempts) {
    this(name, model, usage, costUsd, attempts, false);
  }

  /** The sum of the steps' costs; null when any is unknown. */
  public static Double total(List<Step> steps) {
    double s = 0;
    for (Step st : steps) {
      if (st.costUsd() == null) return null;
      s += st.costUsd();
    }
    return s;
  }
}
