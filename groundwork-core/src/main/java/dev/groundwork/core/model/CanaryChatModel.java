package dev.groundwork.core.model;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A model alias in a canary: a fixed share of the calls goes to the candidate, the rest to
 * production. The split is by count, not by chance: of any {@code n} consecutive calls,
 * {@code floor(n * share)} or one more go to the candidate, so a 10% canary gets its tenth from the
 * first ten calls. Each reply's trace names the model that answered, so the log and the cost report
 * can tell the two apart. Token counting and the context window are the smaller model's, so a prompt
 * fitted for one fits both.
 */
public final class CanaryChatModel implements ChatModel {
  private final String name;
  private final ChatModel production;
  private final ChatModel candidate;
  private final double share;
  private final AtomicLong calls = new AtomicLong();

  /** @param share the candidate's share of calls, in (0, 1] */
  public CanaryChatModel(String name, ChatModel production, ChatModel candidate, double share) {
    if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("canary share must be in (0, 1], got " + share);
    this.name = Objects.requireNonNull(name, "name");
    this.production = Objects.requireNonNull(production, "production");
    this.candidate = Objects.requireNonNull(candidate, "candidate");
    this.share = share;
  }

  /** The model the next call goes to. */
  ChatModel next() {
    long i = calls.getAndIncrement();
    return Math.floor((i + 1) * share) > Math.floor(i * share) ? candidate : production;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int countTokens(String text) {
    return Math.max(production.countTokens(text), candidate.countTokens(text));
  }

  @Override
  public boolean countsExactly() {
    return production.countsExactly() && candidate.countsExactly();
  }

  @Override
  public long inputTokenBound(ChatRequest request) {
    return Math.max(production.inputTokenBound(request), candidate.inputTokenBound(request));
  }

  @Override
  public int contextWindow() {
    return Math.min(production.contextWindow(), candidate.contextWindow());
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    ChatModel m = next();
    return named(m.chat(request), m);
  }

  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    ChatModel m = next();
    return named(m.stream(request, onToken), m);
  }

  private static ChatResponse named(ChatResponse r, ChatModel m) {
    return r.trace() != null ? r : r.withTrace(r.traceOr(m.name()));
  }
}
