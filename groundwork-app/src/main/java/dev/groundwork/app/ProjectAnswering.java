package dev.groundwork.app;

import dev.groundwork.core.Answer;
import dev.groundwork.core.answer.AskPipeline;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.core.text.CleanText;
import dev.groundwork.core.retrieve.FollowUps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The server's view of a project: one pipeline per served model, built on first use. {@link #reload}
 * swaps in another project (a new configuration); each call reads the project once, so a request
 * that started before a reload finishes on the configuration it started with. Thread-safe.
 */
public final class ProjectAnswering implements Answering {
  /** A project with what was built from it: the models it serves and their pipelines and clients. */
  private record Served(Project project, List<String> models, Map<String, AskPipeline> pipelines, Map<String, ChatModel> direct) {
    static Served of(Project project) {
      List<String> m = new ArrayList<>();
      m.add(project.config().answerModel());
      for (String f : project.config().models().fallbacks()) if (!m.contains(f)) m.add(f);
      if (!m.contains("extractive")) m.add("extractive");
      for (String r : new java.util.TreeSet<>(project.config().models().routes().keySet())) {
        if (!m.contains(ModelsConfig.ROUTE_PREFIX + r)) m.add(ModelsConfig.ROUTE_PREFIX + r);
      }
      // the model aliases with a version behind them now (any NAME@production|candidate is accepted: one promoted later works too)
      for (String slot : new java.util.TreeSet<>(new dev.groundwork.app.versions.ProjectVersions(project, java.time.Clock.systemUTC()).registry().promotedIds().keySet())) {
        if (!slot.startsWith("model:")) continue;
        String alias = slot.substring("model:".length());
        if (!alias.endsWith("@candidate")) alias += "@production";
        if (!m.contains(alias)) m.add(alias);
      }
      return new Served(project, List.copyOf(m), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }

    /** @throws NotFoundException when {@code model} is not served */
    void check(String model) {
      if (!models.contains(model) && !dev.groundwork.app.versions.ModelVersions.isAlias(model)) throw new NotFoundException("unknown model " + model + "; served: " + String.join(", ", models));
    }

    /** The configured model keeps its fallbacks; another served model answers alone. */
    ModelsConfig config(String model) {
      ModelsConfig mc = project.config().models();
      return model.equals(mc.model()) ? mc : mc.override(model, List.of(), null, null);
    }
  }

  private final AtomicReference<Served> served;

  public ProjectAnswering(Project project) {
    this.served = new AtomicReference<>(Served.of(project));
  }

  /** Answers with {@code project} from now on. */
  public void reload(Project project) {
    served.set(Served.of(project));
  }

  @Override
  public List<String> models() {
    return served.get().models();
  }

  @Override
  public Answer ask(String model, String question, int k, Consumer<String> onToken) {
    question = Limits.query(question, "question");
    Served s = served.get();
    s.check(model);
    return pipeline(s, model).ask(question, k, Filter.NONE, onToken);
  }

  /**
   * A conversation's last user message, answered as a standalone question: with {@code answer.rewrite_model}
   * that model condenses the conversation (only when the message leans on earlier turns; its tokens and
   * cost are a {@code rewrite} step); otherwise, or when that model fails, the offline rule fills in the
   * topic. Retrieval searches with the standalone query; the answerer gets the model's question, or with
   * the rule the follow-up as asked; the answer records both.
   */
  @Override
  public Answer ask(String model, List<FollowUps.Turn> earlier, String question, int k, Consumer<String> onToken) {
    question = Limits.query(question, "question");
    if (earlier.stream().noneMatch(t -> "user".equals(t.role()))) return ask(model, question, k, onToken);
    Served s = served.get();
    s.check(model);
    Conversations.Rewritten r = Conversations.rewrite(s.project(),
        name -> s.direct().computeIfAbsent("rewrite:" + name, x -> s.project().chatModel(s.project().config().models().override(name, List.of(), null, null))),
        earlier, question);
    return r.applyTo(pipeline(s, model).ask(r.rewrite().query(), r.question(), k, Filter.NONE, onToken));
  }

  /** The served model's ask pipeline, built on first use. */
  private static AskPipeline pipeline(Served s, String model) {
    return s.pipelines().computeIfAbsent(model, m -> s.project().askPipeline(s.project().config().retrieval(), null, s.config(m)));
  }

  @Override
  public Forwarded forward(String model, ChatRequest request, Consumer<String> onToken) {
    Served s = served.get();
    s.check(model);
    if (model.equals("extractive")) throw new BadInputException("extractive answers from the documents only; drop groundwork.retrieve=false");
    if (model.startsWith(ModelsConfig.ROUTE_PREFIX)) {
      throw new BadInputException("a route answers from the documents (its checks need the sources); drop groundwork.retrieve=false or name a PROVIDER:MODEL");
    }
    ChatModel m = s.direct().computeIfAbsent(model, name -> s.project().chatModel(s.config(name)));
    var r = onToken == null ? m.chat(request) : m.stream(request, onToken);
    String by = r.traceOr(model).answeredBy();
    return new Forwarded(r, r.trace() != null && r.trace().cached() ? Double.valueOf(0) : s.project().config().models().prices().cost(by, r.usage()));
  }

  @Override
  public Map<String, Object> describe(String question, Answer a) {
    return Json.answer(question, a);
  }

  @Override
  public SearchResult search(String query, int k) {
    query = Limits.query(query, "q");
    Project p = served.get().project();
    long t0 = System.nanoTime();
    var hits = p.retriever(p.config().retrieval()).search(query, k, Filter.NONE).hits();
    return SearchResult.of(query, p.config().retrieval().mode().label(), k, hits, (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return served.get().project().embedder().embedDocuments(texts.stream().map(CleanText::of).toList());
  }

  @Override
  public String embedderName() {
    return served.get().project().config().embedder();
  }

  @Override
  public dev.groundwork.core.budget.Budgets budgets() {
    return served.get().project().budgets();
  }

  @Override
  public int defaultK() {
    return served.get().project().config().k();
  }

  @Override
  public void warm() {
    Served s = served.get();
    for (String m : s.models()) {
      try {
        s.pipelines().computeIfAbsent(m, x -> s.project().askPipeline(s.project().config().retrieval(), null, s.config(x)));
      } catch (IllegalArgumentException | GroundworkException e) {
        // a served model or route whose client cannot be built (no API key here): the server still
        // starts, and a request for it gets the same clear error; the configured model must build
        if (m.equals(s.project().config().answerModel())) throw e;
      }
    }
    s.project().retriever(s.project().config().retrieval()).search("warm up", 1, Filter.NONE);
    s.pipelines().get("extractive").ask("warm up", 1, Filter.NONE, null); // offline: the answerer's own models load too
  }

  @Override
  public boolean ready() {
    return served.get().project().hasIndex();
  }
}
