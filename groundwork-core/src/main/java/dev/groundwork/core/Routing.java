package dev.groundwork.core;

import java.util.List;

/**
 * How a route answered: every model it tried, in order, and why each answer was passed on.
 *
 * @param route the route's name ({@code support} for {@code route:support})
 * @param policy {@code cascade} or {@code fixed}
 * @param attempts one per model tried; the last accepted one is the answer
 */
public record Routing(String route, String policy, List<Attempt> attempts) {
  public Routing {
    attempts = List.copyOf(attempts);
  }

  /**
   * One model's try.
   *
   * @param accepted whether its answer passed the route's checks (or was the last resort)
   * @param reason why the route escalated past it; empty when accepted
   * @param costUsd what the try cost, or null when a price is unknown
   */
  public record Attempt(String model, boolean accepted, String reason, Usage usage, Double costUsd, long latencyMs) {
    public Attempt {
      reason = reason == null ? "" : reason;
    }
  }

  /** Whether the route went past its first model. */
  public boolean escalated() {
    return attempts.size() > 1;
  }
}
