package dev.groundwork.app;

import dev.groundwork.core.Answer;
import java.util.List;
import java.util.function.Consumer;

/** What the server answers with: the project's pipelines, by model name. Implementations are thread-safe. */
public interface Answering {
  /** The models a client may ask for; the first is the default. */
  List<String> models();

  /**
   * @param onToken receives the answer as it is written, or null
   * @throws NotFoundException when {@code model} is not one of {@link #models()}
   */
  Answer ask(String model, String question, int k, Consumer<String> onToken);

  /**
   * The last user message of a conversation, answered as a standalone question made from it and
   * {@code earlier} (the turns before it, oldest first); the answer records both. With no earlier
   * user turn it is {@link #ask(String, String, int, Consumer)}.
   */
  default Answer ask(String model, List<dev.groundwork.core.retrieve.FollowUps.Turn> earlier, String question, int k, Consumer<String> onToken) {
    return ask(model, question, k, onToken);
  }

  /** Ranks the indexed chunks for {@code query} with the configured retrieval. */
  SearchResult search(String query, int k);

  /** The answer as {@code groundwork ask --json} prints it, so the CLI and the API agree. */
  default java.util.Map<String, Object> describe(String question, Answer a) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("question", question);
    m.put("answer", a.text());
    return m;
  }

  /** Embeds texts with the configured embedder, in order; and its name. */
  List<float[]> embed(List<String> texts);

  String embedderName();

  /** A reply from a model asked directly, with its cost (null when the price is unknown). */
  record Forwarded(dev.groundwork.core.model.ChatResponse response, Double costUsd) {}

  /**
   * Sends {@code request} to {@code model} as it is, without retrieval: the gateway path, for calls
   * that bring their own context.
   *
   * @throws BadInputException when the model cannot answer without retrieval ({@code extractive})
   */
  Forwarded forward(String model, dev.groundwork.core.model.ChatRequest request, Consumer<String> onToken);

  /**
   * The budgets the model calls are held to. The server charges a request's calls to its key too by
   * running them inside {@link dev.groundwork.core.budget.Budgets#paidBy}. The default has no project
   * budget and no store: an implementation whose keys may carry budgets overrides it.
   */
  default dev.groundwork.core.budget.Budgets budgets() {
    return dev.groundwork.core.budget.Budgets.none(() -> {
      throw new IllegalStateException("this server keeps no budget ledger; a key with a budget needs a project's store");
    });
  }

  /** Chunks retrieved when a request does not say ({@code retrieval.k} of the configuration in force). */
  default int defaultK() {
    return 8;
  }

  /** True when the index is open and answers can be given. */
  boolean ready();

  /**
   * Opens and loads everything a first answer needs (index, embedder, each model's pipeline) and runs
   * one search through it, so that the first request is not slow, and nothing is built lazily while
   * the process is shutting down. A server calls it before it accepts traffic. Calls no paid model.
   */
  default void warm() {}
}
