package dev.groundwork.core.model;

import dev.groundwork.core.budget.BudgetLedger;
import dev.groundwork.core.budget.BudgetLimit;
import dev.groundwork.core.budget.Budgets;
import dev.groundwork.core.budget.UnpricedModelException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Holds one model's calls to the budgets that apply on the calling thread. Before a call it reserves
 * the call's upper-bound cost: {@code max_tokens} times the output price plus {@link
 * ChatModel#inputTokenBound} times the input price (a request without {@code max_tokens} is sent with
 * the budgets' cap, so the bound holds). After the call it settles the reservation to the real cost.
 * A call that fails before any output was streamed costs nothing; one that fails or is cut off after
 * output began keeps its whole bound, since the provider may bill the full reply. Wrap each attempt
 * (below the retries), so every retry, fallback and escalation is counted. Thread-safe.
 */
public final class BudgetedChatModel extends DelegatingChatModel {
  private final Budgets budgets;
  private final PriceTable prices;

  public BudgetedChatModel(ChatModel delegate, Budgets budgets, PriceTable prices) {
    super(delegate);
    this.budgets = Objects.requireNonNull(budgets);
    this.prices = Objects.requireNonNull(prices);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return call(request, null);
  }

  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    return call(request, Objects.requireNonNull(onToken));
  }

  private ChatResponse call(ChatRequest request, Consumer<String> onToken) {
    List<BudgetLimit> limits = budgets.limits();
    Price price = limits.isEmpty() ? null : prices.price(name());
    if (price == null) {
      if (!limits.isEmpty() && budgets.refusesUnknownPrices()) throw new UnpricedModelException(name());
      return onToken == null ? delegate.chat(request) : delegate.stream(request, onToken);
    }
    ChatRequest capped = request.maxTokens() != null ? request : request.withMaxTokens(budgets.maxTokens());
    double bound = (inputTokenBound(capped) * price.input() + (double) capped.maxTokens() * price.output()) / 1_000_000.0;
    BudgetLedger.Reservation r = budgets.reserve(limits, bound);
    AtomicBoolean started = new AtomicBoolean();
    ChatResponse response;
    try {
      response = onToken == null ? delegate.chat(capped) : delegate.stream(capped, t -> {
        started.set(true);
        onToken.accept(t);
      });
    } catch (RuntimeException | Error e) {
      settleQuietly(r, started.get() ? bound : 0, e);
      throw e;
    }
    budgets.settle(r, price.cost(response.usage()));
    return response;
  }

  private void settleQuietly(BudgetLedger.Reservation r, double usd, Throwable cause) {
    try {
      budgets.settle(r, usd);
    } catch (RuntimeException e) {
      cause.addSuppressed(e); // the reservation stays charged in full: never less than was spent
    }
  }
}
