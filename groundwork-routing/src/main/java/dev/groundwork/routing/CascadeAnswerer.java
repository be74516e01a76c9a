package dev.groundwork.routing;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Routing;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Step;
import dev.groundwork.core.Usage;
import dev.groundwork.core.answer.SchemaValidator;
import dev.groundwork.core.budget.BudgetExceededException;
import dev.groundwork.core.budget.UnpricedModelException;
import dev.groundwork.core.spi.Answerer;
import dev.groundwork.core.trace.Timeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A route's answerer: its models answer in order, cheapest first, all from the same retrieved
 * chunks (retrieval runs once, before). Each answer goes through the route's checks; the first
 * that passes them all is the answer, and any failure passes the question on to the next model.
 * The last model's answer is returned whatever the checks say, since there is nobody left to ask.
 *
 * <p>The answer records every attempt (model, tokens, cost, latency, why it was passed on), and
 * its steps, tokens and cost are those of all attempts together. Each attempt is a
 * {@code route.attempt} span in the trace.
 *
 * <p>Streaming: an earlier model's answer is held until its checks pass and then handed over in one
 * piece (streaming it would show text the route may withdraw); the last model streams token by
 * token, since its answer is final.
 *
 * <p>With the {@code fixed} policy only the first model answers, and nothing escalates. With
 * {@code learned}, a {@link Router} may start a question further down the route; the models it
 * skips are recorded as attempts that were not made, with the router's reason.
 */
public final class CascadeAnswerer implements Answerer {
  /** A check of one answer; a present result says what failed. */
  public interface Check {
    Optional<String> failure(String question, List<ScoredChunk> retrieved, Answer answer);
  }

  /** One model of the route and the answerer that speaks for it. */
  public record Tier(String model, Answerer answerer) {}

  /** Where a question starts on the route (the {@code learned} policy): a tier index and why. */
  public record Start(int tier, String reason) {}

  /** Decides where each question starts; the cascade starts every question at the first model. */
  @FunctionalInterface
  public interface Router {
    Start start(String question);
  }

  private final String route;
  private final String policy;
  private final List<Tier> tiers;
  private final List<Check> checks;
  private final Router router;

  public CascadeAnswerer(String route, String policy, List<Tier> tiers, List<Check> checks) {
    this(route, policy, tiers, checks, q -> new Start(0, ""));
  }

  /**
   * @param router where each question starts (the {@code learned} policy: a question the router
   *     expects the cheap model to fail goes straight to the strong one); the checks then apply as
   *     in the cascade
   */
  public CascadeAnswerer(String route, String policy, List<Tier> tiers, List<Check> checks, Router router) {
    if (tiers.isEmpty()) throw new IllegalArgumentException("route " + route + " has no models");
    if (!List.of("cascade", "fixed", "learned").contains(policy)) throw new IllegalArgumentException("route " + route + ": unknown policy " + policy);
    this.route = route;
    this.policy = policy;
    this.tiers = List.copyOf(tiers);
    this.checks = List.copyOf(checks);
    this.router = router;
  }

  @Override
  public String name() {
    return "route:" + route;
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved) {
    return answer(question, retrieved, null);
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved, Consumer<String> onToken) {
    int last = policy.equals("fixed") ? 0 : tiers.size() - 1;
    List<Routing.Attempt> attempts = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    Usage total = Usage.NONE;
    Start start = policy.equals("fixed") ? new Start(0, "") : router.start(question);
    int first = Math.max(0, Math.min(start.tier(), last));
    for (int i = 0; i < first; i++) attempts.add(new Routing.Attempt(tiers.get(i).model(), false, start.reason(), Usage.NONE, 0.0, 0));
    for (int i = first; ; i++) {
      Tier t = tiers.get(i);
      long t0 = System.nanoTime();
      Answer a;
      try {
        a = i == last && onToken != null ? t.answerer().answer(question, retrieved, onToken) : t.answerer().answer(question, retrieved);
      } catch (RuntimeException e) {
        // a spent budget holds for every model on the route: escalating would only be refused again
        if (i == last || e instanceof BudgetExceededException || e instanceof UnpricedModelException) throw e;
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String reason = "failed: " + e.getMessage();
        attempts.add(new Routing.Attempt(t.model(), false, reason, Usage.NONE, 0.0, ms));
        span(t0, t.model(), false, reason, null, e);
        continue;
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      steps.addAll(a.steps());
      total = total.plus(a.usage());
      String failure = i == last ? null : firstFailure(question, retrieved, a);
      boolean accepted = failure == null;
      attempts.add(new Routing.Attempt(t.model(), accepted, accepted ? "" : failure, a.usage(), a.costUsd(), ms));
      span(t0, t.model(), accepted, failure, a.costUsd(), null);
      if (accepted) {
        if (i != last && onToken != null) onToken.accept(a.text());
        return a.routed(new Routing(route, policy, attempts), steps, total);
      }
    }
  }

  private String firstFailure(String question, List<ScoredChunk> retrieved, Answer a) {
    for (Check c : checks) {
      Optional<String> f = c.failure(question, retrieved, a);
      if (f.isPresent()) return f.get();
    }
    return null;
  }

  private void span(long t0, String model, boolean accepted, String reason, Double cost, Throwable error) {
    if (!Timeline.active()) return;
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("groundwork.route", route);
    attrs.put("groundwork.model", model);
    attrs.put("groundwork.route.accepted", accepted);
    if (reason != null) attrs.put("groundwork.route.escalation", reason);
    if (cost != null) attrs.put("groundwork.cost_usd", cost);
    Timeline.record("route.attempt", t0, attrs, error);
  }

  /** The route's checks. */
  public static final class Checks {
    private Checks() {}

    /** The answer's own check against its evidence (answerability, or the verifier model) did not pass. */
    public static Check verification() {
      return (q, retrieved, a) -> a.verification() == null || a.verification().passed() ? Optional.empty()
          : Optional.of(String.format(Locale.ROOT, "not supported by its sources (%s score %.2f%s)", a.verification().verifier(), a.verification().score(),
              a.verification().reason().isBlank() ? "" : ": " + a.verification().reason()));
    }

    /** A refusal although retrieval found sources: another model may find the answer in them. */
    public static Check unwarrantedRefusal() {
      return (q, retrieved, a) -> a.refused() && !retrieved.isEmpty()
          ? Optional.of("refused although " + retrieved.size() + " sources were retrieved") : Optional.empty();
    }

    /**
     * The model was unsure: the mean log-probability of its reply's tokens is below {@code min}.
     * Passes when there are none (an extractive answer, a provider that does not return them).
     */
    public static Check logprob(double min) {
      return (q, retrieved, a) -> {
        Double mean = a.generation() == null ? null : a.generation().meanLogprob();
        return mean == null || mean >= min ? Optional.empty()
            : Optional.of(String.format(Locale.ROOT, "unsure: mean token log-probability %.2f < %.2f", mean, min));
      };
    }

    /** The answer is not JSON matching the route's schema. */
    public static Check schema(SchemaValidator validator) {
      return (q, retrieved, a) -> {
        if (a.refused()) return Optional.empty();
        List<String> problems = validator.validate(a.text());
        return problems.isEmpty() ? Optional.empty() : Optional.of("does not match the route's JSON Schema: " + String.join("; ", problems));
      };
    }
  }
}
