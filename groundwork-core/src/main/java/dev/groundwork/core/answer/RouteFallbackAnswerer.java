package dev.groundwork.core.answer;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Routing;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Usage;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.spi.Answerer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A language model's answerer whose fallbacks include routes: when the model (with its retries and
 * model fallbacks) fails, each route answers in turn from the same retrieved chunks. The route's
 * answer records the failed model as its first, rejected attempt, so the answer says why a route
 * answered. Only a model failure passes on; anything else is thrown as it is.
 */
public final class RouteFallbackAnswerer implements Answerer {
  /** A route that answers when everything before it failed. */
  public record Fallback(String name, Answerer answerer) {}

  private final String model;
  private final Answerer primary;
  private final List<Fallback> routes;

  /** @param model the primary's name, as the failed attempt records it */
  public RouteFallbackAnswerer(String model, Answerer primary, List<Fallback> routes) {
    if (routes.isEmpty()) throw new IllegalArgumentException("a route fallback needs at least one route");
    this.model = model;
    this.primary = primary;
    this.routes = List.copyOf(routes);
  }

  @Override
  public String name() {
    return primary.name();
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved) {
    return answer(question, retrieved, null);
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved, Consumer<String> onToken) {
    List<Routing.Attempt> failed = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      return onToken == null ? primary.answer(question, retrieved) : primary.answer(question, retrieved, onToken);
    } catch (ModelException e) {
      failed.add(new Routing.Attempt(model, false, "failed: " + e.getMessage(), Usage.NONE, 0.0, (System.nanoTime() - t0) / 1_000_000));
      for (int i = 0; i < routes.size(); i++) {
        Fallback f = routes.get(i);
        long t1 = System.nanoTime();
        try {
          Answer a = onToken == null ? f.answerer().answer(question, retrieved) : f.answerer().answer(question, retrieved, onToken);
          List<Routing.Attempt> all = new ArrayList<>(failed);
          String policy = "fallback";
          if (a.routing() != null) {
            all.addAll(a.routing().attempts());
            policy = a.routing().policy();
          }
          return a.routed(new Routing(a.routing() == null ? f.name() : a.routing().route(), policy, all), a.steps(), a.usage());
        } catch (ModelException next) {
          failed.add(new Routing.Attempt("route:" + f.name(), false, "failed: " + next.getMessage(), Usage.NONE, 0.0, (System.nanoTime() - t1) / 1_000_000));
          if (i == routes.size() - 1) throw next;
        }
      }
      throw e; // unreachable: the loop returns or rethrows
    }
  }
}
