package dev.groundwork.app;

import dev.groundwork.core.Answer;
import dev.groundwork.core.answer.AskPipeline;
import dev.groundwork.core.spi.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The server's view of a project: one pipeline per served model, built on first use. Thread-safe. */
public final class ProjectAnswering implements Answering {
  private final Project project;
  private final List<String> models;
  private final Map<String, AskPipeline> pipelines = new ConcurrentHashMap<>();
  private final Map<String, dev.groundwork.core.model.ChatModel> direct = new ConcurrentHashMap<>();

  public ProjectAnswering(Project project) {
    this.project = project;
    List<String> m = new ArrayList<>();
    m.add(project.config().answerModel());
    for (String f : project.config().models().fallbacks()) if (!m.contains(f)) m.add(f);
    if (!m.contains("extractive")) m.add("extractive");
    this.models = List.copyOf(m);
  }

  @Override
  public List<String> models() {
    return models;
  }

  @Override
  public Answer ask(String model, String question, int k, Consumer<String> onToken) {
    if (!models.contains(model)) throw new NotFoundException("unknown model " + model + "; served: " + String.join(", ", models));
    AskPipeline p = pipelines.computeIfAbsent(model, m -> project.askPipeline(project.config().retrieval(), null, config(m)));
    return p.ask(question, k, Filter.NONE, onToken);
  }

  /** The configured model keeps its fallbacks; another served model answers alone. */
  private ModelsConfig config(String model) {
    ModelsConfig mc = project.config().models();
    return model.equals(mc.model()) ? mc : mc.override(model, List.of(), null, null);
  }

  @Override
  public Forwarded forward(String model, dev.groundwork.core.model.ChatRequest request, Consumer<String> onToken) {
    if (!models.contains(model)) throw new NotFoundException("unknown model " + model + "; served: " + String.join(", ", models));
    if (model.equals("extractive")) throw new BadInputException("extractive answers from the documents only; drop groundwork.retrieve=false");
    var m = direct.computeIfAbsent(model, name -> project.chatModel(config(name)));
    var r = onToken == null ? m.chat(request) : m.stream(request, onToken);
    String by = r.traceOr(model).answeredBy();
    return new Forwarded(r, r.trace() != null && r.trace().cached() ? Double.valueOf(0) : project.config().models().prices().cost(by, r.usage()));
  }

  @Override
  public Map<String, Object> describe(String question, Answer a) {
    return Json.answer(question, a);
  }

  @Override
  public SearchResult search(String query, int k) {
    long t0 = System.nanoTime();
    var hits = project.retriever(project.config().retrieval()).search(query, k, Filter.NONE).hits();
    return SearchResult.of(query, project.config().retrieval().mode().label(), k, hits, (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return project.embedder().embedDocuments(texts);
  }

  @Override
  public String embedderName() {
    return project.config().embedder();
  }

  @Override
  public int defaultK() {
    return project.config().k();
  }

  @Override
  public boolean ready() {
    return project.hasIndex();
  }
}
