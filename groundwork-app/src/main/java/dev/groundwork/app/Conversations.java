package dev.groundwork.app;

import dev.groundwork.core.Answer;
import dev.groundwork.core.QueryRewrite;
import dev.groundwork.core.Step;
import dev.groundwork.core.Usage;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.retrieve.FollowUps;
import dev.groundwork.core.trace.Timeline;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Conversations: a follow-up question made standalone before retrieval. With
 * {@code answer.rewrite_model} that model condenses the conversation, and only when the question leans
 * on earlier turns (its tokens and cost become a {@code rewrite} step of the answer); without one, or
 * when it fails, the offline rule ({@link FollowUps}) fills in the topic. Both the question as asked
 * and the standalone query go into the answer, a {@code rewrite} trace span and the query log.
 */
public final class Conversations {
  static final String PROMPT = "Rewrite the user's last message as one standalone question that can be understood without the conversation: "
      + "name the subject it refers to, keep its meaning, add nothing else. Reply with the question only.";

  private Conversations() {}

  /** A rewrite and the model call it took, if any. */
  public record Rewritten(QueryRewrite rewrite, Step step) {
    /**
     * What the answerer is asked: a model's standalone question; for the rule, the follow-up as asked
     * (the rule only adds the topic's words for retrieval, which would read to the answerer as things
     * the question asks about).
     */
    public String question() {
      return rewrite.method().startsWith("model:") ? rewrite.query() : rewrite.original();
    }

    /** {@code a} (answered from the standalone query) with the rewrite recorded and its step counted. */
    public Answer applyTo(Answer a) {
      Answer out = a.withRewrite(rewrite);
      return step == null ? out : out.withStepFirst(step, new Usage(step.usage().inputTokens(), step.usage().outputTokens(), 0));
    }
  }

  /**
   * @param models the chat model of a name (cached by the caller)
   * @param earlier the turns before {@code question}, oldest first
   */
  public static Rewritten rewrite(Project p, Function<String, ChatModel> models, List<FollowUps.Turn> earlier, String question) {
    long t0 = System.nanoTime();
    Rewritten r = decide(p, models, earlier, question);
    Timeline.record("rewrite", t0, Map.of("groundwork.query.original", question, "groundwork.query.rewritten", r.rewrite().query(),
        "groundwork.rewrite.method", r.rewrite().method()), null);
    return r;
  }

  private static Rewritten decide(Project p, Function<String, ChatModel> models, List<FollowUps.Turn> earlier, String question) {
    QueryRewrite rule = FollowUps.byRule(earlier, question);
    String name = p.config().rewriteModel();
    if (name == null || !FollowUps.dependsOnEarlierTurns(question) || earlier.stream().noneMatch(t -> "user".equals(t.role()))) return new Rewritten(rule, null);
    StringBuilder transcript = new StringBuilder("Conversation:\n");
    for (FollowUps.Turn t : earlier.subList(Math.max(0, earlier.size() - 6), earlier.size())) {
      String c = t.content() == null ? "" : t.content().strip();
      transcript.append(t.role()).append(": ").append(c.length() > 600 ? c.substring(0, 600) + " ..." : c).append('\n');
    }
    transcript.append("\nLast message: ").append(question);
    try {
      var resp = models.apply(name).chat(new ChatRequest(List.of(ChatMessage.system(PROMPT), ChatMessage.user(transcript.toString())), 0.0, 100, List.of(),
          null, null));
      String q = resp.text() == null ? "" : resp.text().strip();
      if (q.isEmpty()) return new Rewritten(new QueryRewrite(question, rule.query(), rule.method(), name + " returned nothing; the offline rule rewrote it"), null);
      String by = resp.traceOr(name).answeredBy();
      Step step = new Step("rewrite", by, resp.usage(), p.config().models().prices().cost(by, resp.usage()), resp.traceOr(name).attempts());
      return new Rewritten(new QueryRewrite(question, Limits.query(q, "rewritten question"), "model:" + by, null), step);
    } catch (RuntimeException e) {
      return new Rewritten(new QueryRewrite(question, rule.query(), rule.method(), name + " failed (" + e.getMessage() + "); the offline rule rewrote it"), null);
    }
  }

  /** Retrieval recall of a suite's follow-up questions with one way of making them standalone. */
  public record Recall(String method, int cases, double recall, int fullyFound) {}

  /**
   * For every case given as a conversation and naming the sources it needs ({@code expected_sources}
   * or {@code retrieved-source} values): the share of those sources among the top {@code k} retrieved
   * for the follow-up as asked, as the offline rule rewrites it, and (when {@code answer.rewrite_model}
   * is set) as that model does. Nothing is answered.
   */
  public static List<Recall> followUpRecall(Project p, List<dev.groundwork.eval.Suite> suites, int k) {
    p.requireIndex();
    var retriever = p.retriever(p.config().retrieval());
    Map<String, ChatModel> cache = new java.util.HashMap<>();
    Function<String, ChatModel> models = name -> cache.computeIfAbsent(name, x -> p.chatModel(p.config().models().override(name, List.of(), null, null)));
    List<String> methods = new java.util.ArrayList<>(List.of("as asked", "rule"));
    if (p.config().rewriteModel() != null) methods.add("model " + p.config().rewriteModel());
    double[] sum = new double[methods.size()];
    int[] full = new int[methods.size()];
    int n = 0;
    for (dev.groundwork.eval.Suite s : suites) {
      for (dev.groundwork.eval.EvalCase c : s.cases()) {
        java.util.Set<String> want = new java.util.LinkedHashSet<>(c.expectedRetrievals());
        if (want.isEmpty()) want.addAll(c.expectedSources());
        if (c.earlier().isEmpty() || want.isEmpty()) continue;
        n++;
        for (int m = 0; m < methods.size(); m++) {
          String q = switch (m) {
            case 0 -> c.question();
            case 1 -> FollowUps.byRule(c.earlier(), c.question()).query();
            default -> decide(p, models, c.earlier(), c.question()).rewrite().query();
          };
          List<String> got = retriever.search(q, k, dev.groundwork.core.spi.Filter.NONE).hits().stream().map(h -> h.chunk().source()).toList();
          long found = want.stream().filter(w -> got.stream().anyMatch(g -> dev.groundwork.eval.EvalCase.sourceMatches(g, w))).count();
          sum[m] += (double) found / want.size();
          if (found == want.size()) full[m]++;
        }
      }
    }
    if (n == 0) throw new BadInputException("no case is a conversation with the sources it needs: give cases 'messages' and 'expected_sources' (or retrieved-source values)");
    List<Recall> out = new java.util.ArrayList<>();
    for (int m = 0; m < methods.size(); m++) out.add(new Recall(methods.get(m), n, sum[m] / n, full[m]));
    return out;
  }
}
