package dev.groundwork.app;

import dev.groundwork.advisor.Advisor;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.eval.EvalCase;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.Suite;
import dev.groundwork.eval.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code groundwork advise}: the advisor's evidence read from a project (an eval run, its suite, the
 * index, the query log, the budgets) and its advice.
 */
public final class Advising {
  /** The p95 latency target when none is given. */
  public static final long DEFAULT_P95_MS = 3000;

  /** The fingerprint key that marks a run as an experiment of {@code advise --try} (its value: the change tried). */
  public static final String EXPERIMENT = "advise_try";

  private Advising() {}

  /**
   * @param runRef a run id or file, or null for the newest stored run
   * @param p95TargetMs the latency target, or null for {@link #DEFAULT_P95_MS}
   */
  public static Advisor.Advice advise(Project p, String runRef, Long p95TargetMs, Clock clock) {
    return Advisor.advise(new ProjectEvidence(p, run(p, runRef), p95TargetMs == null ? DEFAULT_P95_MS : p95TargetMs, clock.instant()));
  }

  /** What {@code advise --try} did: the tries and their results, the symptoms not tried and why, and the version {@code --apply} made. */
  public record Tried(Advisor.Advice advice, List<dev.groundwork.advisor.Experiments.Result> results, Map<String, String> notRun,
      dev.groundwork.app.versions.Version applied, dev.groundwork.app.versions.VersionRegistry.Promotion promotion, Budget budget) {}

  /**
   * What the tries were expected to cost (one suite run each, at the baseline run's own cost; null
   * when a case's cost was unknown), the cap, and what the runs spent.
   */
  public record Budget(int tries, Double usdPerRun, Double estimateUsd, Double maxUsd, int run, double spentUsd) {}

  /**
   * Advises, then runs the first tries that are configuration changes as experiments: each on a copy
   * of groundwork.yaml (under {@code .groundwork/advise/}), never the live file, with the run's suite.
   * With {@code apply}, the recommended try's configuration is stored as a config version and
   * promoted through its gate, so {@code versions rollback config} undoes it.
   */
  public static Tried tryFirst(Project p, String runRef, Long p95TargetMs, boolean apply, Clock clock) throws java.io.IOException {
    return tryFirst(p, runRef, p95TargetMs, apply, null, null, line -> { }, clock);
  }

  /** The style guide of the examples pool: {@code examples/style.md} (or {@code .txt}), or null. */
  static String styleGuide(Project p) throws java.io.IOException {
    for (String name : List.of("style.md", "style.txt")) {
      Path f = p.root().resolve("examples").resolve(name);
      if (Files.isRegularFile(f)) {
        String s = Files.readString(f).strip();
        return s.isEmpty() ? null : s;
      }
    }
    return null;
  }

  /**
   * As above, showing the tries' cost estimate to {@code notes} before any runs; with {@code maxUsd},
   * only the tries whose estimated cost fits run (strongest symptom first), and none when the estimate
   * is unknown.
   */
  public static Tried tryFirst(Project p, String runRef, Long p95TargetMs, boolean apply, Double maxUsd, java.util.function.Consumer<String> notes, Clock clock)
      throws java.io.IOException {
    return tryFirst(p, runRef, p95TargetMs, apply, maxUsd, null, notes, clock);
  }

  /**
   * As above; {@code webSearch} (a SearXNG instance's base URL, or null) is the web search a
   * missing-knowledge try consults.
   */
  public static Tried tryFirst(Project p, String runRef, Long p95TargetMs, boolean apply, Double maxUsd, String webSearch,
      java.util.function.Consumer<String> notes, Clock clock) throws java.io.IOException {
    if (maxUsd != null && !(maxUsd >= 0)) throw new BadInputException("--max-cost must be >= 0 (USD), got " + maxUsd);
    Map<String, Object> web = new java.util.LinkedHashMap<>();
    if (webSearch != null) {
      if (ProjectConfig.httpUrl(webSearch) == null) {
        throw new BadInputException("--web-search must be an http(s) URL (a SearXNG instance), got '" + webSearch + "'");
      }
      web.put("web.search", "searxng");
      web.put("web.search_url", webSearch);
    }
    EvalRun baseline = run(p, runRef);
    Advisor.Advice advice = Advisor.advise(new ProjectEvidence(p, baseline, p95TargetMs == null ? DEFAULT_P95_MS : p95TargetMs, clock.instant()));
    Map<String, String> notRun = new java.util.LinkedHashMap<>();
    if (baseline == null) {
      for (Advisor.Symptom s : advice.symptoms()) {
        String why = dev.groundwork.advisor.Experiments.NOT_RUN.get(s.symptom());
        if (why != null) notRun.put(s.symptom(), why);
      }
      return new Tried(advice, List.of(), notRun, null, null, null);
    }
    ProjectConfig cfg = p.config();
    List<Suite> suites = new ArrayList<>();
    java.util.Set<String> suiteQuestions = new java.util.HashSet<>();
    for (String s : cfg.suites()) {
      Path path = p.root().resolve(s);
      if (!Files.exists(path)) continue;
      for (Suite suite : SuiteLoader.load(path, ProjectEvals.similarity(p), p.judge())) {
        if (suite.name().equals(baseline.suite())) suites.add(suite);
        for (var c : suite.cases()) suiteQuestions.add(dev.groundwork.tuning.dataset.NearDuplicates.normalise(c.question()));
      }
    }
    if (suites.isEmpty()) throw new NotFoundException("the suite of run " + baseline.id() + " ('" + baseline.suite() + "') is not among the configured suites");
    boolean languageModel = !cfg.answerModel().equals("extractive");
    // the pool (example files, the log's rated answers and their chunks) is read only for a tone try
    boolean wantsExamples = languageModel && advice.symptoms().stream().anyMatch(s -> s.symptom().equals("tone"));
    // for cost and latency: each route, then each route's cheapest model alone (a smaller model with RAG)
    List<String> routes = new ArrayList<>();
    cfg.models().routes().keySet().stream().sorted().forEach(r -> routes.add(ModelsConfig.ROUTE_PREFIX + r));
    cfg.models().routes().keySet().stream().sorted().map(r -> cfg.models().routes().get(r).models().get(0)).distinct().forEach(routes::add);
    var knobs = new dev.groundwork.advisor.Experiments.Knobs(cfg.k(), cfg.retrieval().autoMerge(), cfg.minAnswerability(), cfg.minEvidence(),
        ProjectConfig.DEFAULT_MIN_ANSWERABILITY, ProjectConfig.defaults().minEvidence(), languageModel, cfg.models().prompt().rules(),
        wantsExamples ? examplesPool(p, suiteQuestions) : List.of())
        .withPromptMaterial(wantsExamples ? styleGuide(p) : null, formatSchema(suites, advice))
        .withAlternatives(cfg.answerModel(), routes, web)
        .withAdapter(unusedAdapter(p))
        .withSearchTool(cfg.searchTool());
    List<dev.groundwork.advisor.Experiments.Experiment> proposed = dev.groundwork.advisor.Experiments.propose(advice, knobs);
    for (Advisor.Symptom s : advice.symptoms()) {
      String why = dev.groundwork.advisor.Experiments.NOT_RUN.get(s.symptom());
      if (why != null && proposed.stream().noneMatch(e -> e.symptom().equals(s.symptom()))) notRun.put(s.symptom(), why);
    }
    // one suite run per try, priced at what the baseline run cost
    boolean unknown = baseline.cases().stream().anyMatch(c -> c.costUsd() == null) && !cfg.answerModel().equals("extractive");
    Double perRun = unknown ? null : baseline.cases().stream().mapToDouble(c -> c.costUsd() == null ? 0 : c.costUsd()).sum();
    Double estimate = perRun == null ? null : perRun * proposed.size();
    int fit = proposed.size();
    if (maxUsd != null) fit = perRun == null ? 0 : perRun == 0 ? proposed.size() : (int) Math.min(proposed.size(), Math.floor(maxUsd / perRun + 1e-9));
    if (!proposed.isEmpty()) {
      notes.accept(String.format(Locale.ROOT, "%d tries, one suite run each: %s%s", proposed.size(),
          perRun == null ? "cost unknown (a case's cost was not recorded: add the model's price under prices:)"
              : String.format(Locale.ROOT, "about $%.4f each, $%.4f in all (the run's own cost)", perRun, estimate),
          maxUsd == null ? "" : String.format(Locale.ROOT, "; --max-cost $%.4f runs %d of them", maxUsd, fit)));
    }
    for (var e : proposed.subList(fit, proposed.size())) notRun.put(e.symptom(), "over --max-cost: " + e.description());
    proposed = proposed.subList(0, fit);
    Path dir = p.dataDir().resolve("advise");
    Files.createDirectories(dir);
    Map<Map<String, Object>, Path> files = new java.util.HashMap<>();
    Map<Map<String, Object>, Path> promptFiles = new java.util.HashMap<>();
    Path promptFile = cfg.models().promptFile();
    var results = dev.groundwork.advisor.Experiments.run(proposed, baseline, overrides -> {
      try {
        Path f = files.computeIfAbsent(overrides, o -> dir.resolve("try-" + (files.size() + 1) + ".yaml"));
        Map<String, Object> yaml = new java.util.LinkedHashMap<>(overrides);
        Map<String, Object> prompt = promptOverrides(overrides);
        if (promptFile != null && !prompt.isEmpty()) {
          // the prompts live in a file of their own: the try gets a changed copy of it, which its groundwork.yaml names
          Path pf = dir.resolve(f.getFileName().toString().replace(".yaml", ".prompts.yaml"));
          Files.writeString(pf, withOverrides(promptFile, prompt));
          promptFiles.put(overrides, pf);
          yaml.keySet().removeAll(overrides.keySet().stream().filter(key -> key.startsWith(PROMPTS)).toList());
          yaml.put("prompts.file", p.root().relativize(pf).toString().replace('\\', '/'));
        }
        Files.writeString(f, withOverrides(p.root().resolve(ProjectConfig.FILE), yaml));
        ProjectConfig tried = ProjectConfig.load(f, p.root());
        try (Project t = Project.open(p.root(), tried, false).withEnv(p.env())) {
          return ProjectEvals.run(t, suites, t.judge(), null, 1, 1, false, name -> dev.groundwork.core.ingest.IngestListener.NONE, () -> false,
              Map.of(EXPERIMENT, overrides.toString())).get(0);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    dev.groundwork.app.versions.Version applied = null;
    dev.groundwork.app.versions.VersionRegistry.Promotion promotion = null;
    var best = results.stream().filter(dev.groundwork.advisor.Experiments.Result::recommended).findFirst();
    if (apply && best.isPresent()) {
      var versions = new dev.groundwork.app.versions.ProjectVersions(p, clock);
      var e = best.get().experiment();
      String note = "advise --try: " + e.symptom() + ": " + e.description();
      Path tryPrompts = promptFiles.get(e.overrides());
      if (e.overrides().keySet().equals(java.util.Set.of(dev.groundwork.advisor.Experiments.ADAPTER)) && cfg.adapter().equals(ProjectConfig.PROMOTED_ADAPTER)) {
        // an adapter is a version already: promoting it (through its own gate) is the change; rollback retrieval-adapter undoes it
        // (a configuration that pins an adapter gets a config version with the new pin instead, below)
        applied = versions.registry().get((String) e.overrides().get(dev.groundwork.advisor.Experiments.ADAPTER));
      } else if (tryPrompts != null) {
        // a prompt try on a project whose prompts live in a file is a prompt version; rollback returns to the file as it was
        if (versions.registry().promoted(dev.groundwork.app.versions.VersionKind.PROMPT).isEmpty()) {
          versions.promote(versions.addPrompt(promptFile, "before advise --try --apply (kept for rollback)").id(), true);
        }
        applied = versions.addPrompt(tryPrompts, note);
      } else {
        if (versions.registry().promoted(dev.groundwork.app.versions.VersionKind.CONFIG).isEmpty()) {
          // keep the configuration as it was, promoted, so that `versions rollback config` returns to it
          versions.promote(versions.addConfig(p.root().resolve(ProjectConfig.FILE), "before advise --try --apply (kept for rollback)").id(), true);
        }
        applied = versions.addConfig(files.get(e.overrides()), note);
      }
      promotion = versions.promote(applied.id(), false);
    }
    double spent = results.stream().mapToDouble(r -> r.usdPerCaseAfter() == null ? 0 : r.usdPerCaseAfter() * baseline.cases().size()).sum();
    return new Tried(advice, results, notRun, applied, promotion, new Budget(proposed.size(), perRun, estimate, maxUsd, results.size(), spent));
  }

  /**
   * Worked examples kept apart from the suite, for a few-shot try: the project's {@code examples/*.yaml}
   * ({@code examples: [{question, sources, answer}]}), then answers rated up in the query log (with the
   * text of the chunks they were built from); never one whose question is a suite's.
   */
  static List<Map<String, String>> examplesPool(Project p, java.util.Set<String> suiteQuestions) {
    List<Map<String, String>> out = new ArrayList<>();
    Path dir = p.root().resolve("examples");
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        for (Path f : files.filter(x -> x.toString().endsWith(".yaml") || x.toString().endsWith(".yml")).sorted().toList()) {
          var doc = dev.groundwork.yaml.YamlDocument.parse(f.toString(), Files.readAllBytes(f), ConfigException::new);
          var top = new dev.groundwork.yaml.YamlSection(f.toString(), "", doc, java.util.Set.of("examples"), ConfigException::new);
          for (var ex : top.sections("examples", java.util.Set.of("question", "sources", "answer"))) {
            addExample(out, suiteQuestions, ex.requiredText("question"), ex.text("sources", ""), ex.requiredText("answer"));
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
      }
    }
    QueryLog log = p.queryLog();
    var rated = log.list(new QueryLog.Query(null, null, null, "up", false, 100, 0));
    for (var l : rated) {
      StringBuilder sources = new StringBuilder();
      for (String id : l.entry().retrieved().subList(0, Math.min(2, l.entry().retrieved().size()))) {
        p.index().chunk(id).ifPresent(c -> sources.append(sources.isEmpty() ? "" : "\n").append("[").append(sources.isEmpty() ? 1 : 2).append("] ").append(c.text()));
      }
      addExample(out, suiteQuestions, l.entry().question(), sources.toString(), l.entry().answer());
    }
    return out;
  }

  private static void addExample(List<Map<String, String>> out, java.util.Set<String> suiteQuestions, String q, String sources, String answer) {
    if (suiteQuestions.contains(dev.groundwork.tuning.dataset.NearDuplicates.normalise(q))) return;
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("question", q);
    m.put("sources", sources);
    m.put("answer", answer);
    out.add(m);
  }

  private static final String PROMPTS = "prompts.";

  /**
   * The newest retrieval adapter trained for the project's embedder that queries do not use now (not
   * the promoted one, nor the one {@code retrieval.adapter} pins), or null.
   */
  private static String unusedAdapter(Project p) {
    var versions = new dev.groundwork.app.versions.ProjectVersions(p, Clock.systemUTC());
    String pin = p.config().adapter();
    String inUse = pin.equals(ProjectConfig.PROMOTED_ADAPTER)
        ? versions.registry().promoted(dev.groundwork.app.versions.VersionKind.RETRIEVAL_ADAPTER).map(dev.groundwork.app.versions.Version::id).orElse(null)
        : pin;
    String embedder = null;
    for (var v : versions.registry().list(dev.groundwork.app.versions.VersionKind.RETRIEVAL_ADAPTER)) {
      if (v.id().equals(inUse)) continue;
      if (embedder == null) embedder = p.embedder().name(); // loaded only when there is an adapter to compare
      if (embedder.equals(v.settings().get("embedder"))) return v.id();
    }
    return null;
  }

  /** The prompt keys of {@code overrides}, without their {@code prompts.} prefix: what a prompt file of the try changes. */
  private static Map<String, Object> promptOverrides(Map<String, Object> overrides) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    overrides.forEach((k, v) -> {
      if (k.startsWith(PROMPTS)) out.put(k.substring(PROMPTS.length()), v);
    });
    return out;
  }

  /**
   * The JSON Schema the format cases check, for a schema-in-the-prompt try: the one most of the
   * format symptom's cases check, or null.
   */
  private static String formatSchema(List<Suite> suites, Advisor.Advice advice) {
    List<String> cases = advice.symptoms().stream().filter(s -> s.symptom().equals("format")).flatMap(s -> s.cases().stream()).toList();
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    for (Suite s : suites) {
      for (EvalCase c : s.cases()) if (cases.contains(c.id())) for (String schema : c.jsonSchemas()) counts.merge(schema, 1, Integer::sum);
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }

  /** {@code yaml} (groundwork.yaml or a prompt file) with each dotted key of {@code overrides} set (comments are not kept). */
  static String withOverrides(Path yaml, Map<String, Object> overrides) throws java.io.IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    com.fasterxml.jackson.databind.JsonNode read = Files.isRegularFile(yaml) ? mapper.readTree(yaml.toFile()) : null;
    var root = read instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o : mapper.createObjectNode();
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      var node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        var child = node.get(parts[i]);
        node = child instanceof com.fasterxml.jackson.databind.node.ObjectNode c ? c : node.putObject(parts[i]);
      }
      node.set(parts[parts.length - 1], mapper.valueToTree(e.getValue()));
    }
    return "# written by groundwork advise --try from " + yaml.getFileName() + "\n" + mapper.writeValueAsString(root).replaceFirst("^---\n", "");
  }

  /** The advisor's reading of {@code run}, as a section of its HTML report: the symptoms' shares as bars, and a table. */
  public static dev.groundwork.eval.HtmlReport.Section section(Project p, EvalRun run) {
    Advisor.Advice a = Advisor.advise(new ProjectEvidence(p, run, DEFAULT_P95_MS, Clock.systemUTC().instant()));
    Map<String, Double> shares = new java.util.LinkedHashMap<>();
    List<List<String>> rows = new ArrayList<>();
    for (Advisor.Symptom s : a.symptoms()) {
      shares.put(s.symptom(), s.share());
      rows.add(List.of(s.symptom(), String.format(Locale.ROOT, "%.1f%%", 100 * s.share()), String.join(", ", s.cases()), s.evidence(), s.firstTry(),
          s.fallback(), s.command()));
    }
    String intro = a.symptoms().isEmpty() ? "No symptoms: every case passed and the logged traffic is within its targets."
        : "What the failures are about, strongest first (groundwork advise)." + (a.unexplained().isEmpty() ? ""
            : " Failed for no reason the advisor knows: " + String.join(", ", a.unexplained()) + ".") + (a.notes().isEmpty() ? "" : " " + String.join(" ", a.notes()));
    return new dev.groundwork.eval.HtmlReport.Section("What to fix next", intro, "Share of cases by symptom", shares,
        List.of("symptom", "share", "cases", "evidence", "first try", "fallback", "command"), rows);
  }

  private static EvalRun run(Project p, String ref) {
    var store = ProjectEvals.store(p);
    if (ref != null) {
      try {
        return store.find(ref, null, null);
      } catch (IllegalArgumentException e) {
        throw new NotFoundException(e.getMessage() + " (see .groundwork/runs/, or run `groundwork eval`)");
      }
    }
    // the newest run that is not one of advise --try's own experiments
    return store.list().stream().filter(r -> !r.fingerprint().containsKey(EXPERIMENT)).findFirst().orElse(null);
  }

  /** The evidence of one project; index reads are made once and kept. */
  private static final class ProjectEvidence implements Advisor.Evidence {
    private final Project p;
    private final EvalRun run;
    private final long p95;
    private final Instant now;
    private final Map<String, EvalCase> cases = new HashMap<>();
    private Map<String, Integer> chunksBySource;

    ProjectEvidence(Project p, EvalRun run, long p95, Instant now) {
      this.p = p;
      this.run = run;
      this.p95 = p95;
      this.now = now;
      if (run != null) {
        for (String s : p.config().suites()) {
          Path path = p.root().resolve(s);
          if (!Files.exists(path)) continue;
          for (Suite suite : SuiteLoader.load(path, (a, b) -> 0)) {
            if (suite.name().equals(run.suite())) for (EvalCase c : suite.cases()) cases.put(c.id(), c);
          }
        }
      }
    }

    @Override
    public EvalRun run() {
      return run;
    }

    @Override
    public Advisor.CaseFacts facts(String caseId) {
      EvalCase c = cases.get(caseId);
      if (c == null) return null;
      return new Advisor.CaseFacts(c.expectedTexts(), c.expectedSources(), c.tags());
    }

    @Override
    public boolean corpusContains(String text) {
      String want = norm(text);
      if (want.isEmpty()) return false;
      for (ScoredChunk h : p.index().searchText(text, 20, Filter.NONE)) if (norm(h.chunk().text()).contains(want)) return true;
      return false;
    }

    private static String norm(String s) {
      return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    @Override
    public synchronized int chunks(String source) {
      Map<String, Integer> m = bySource();
      Integer n = m.get(source);
      if (n != null) return n;
      for (Map.Entry<String, Integer> e : m.entrySet()) if (dev.groundwork.eval.Sources.matches(e.getKey(), source)) return e.getValue();
      return 0;
    }

    @Override
    public synchronized double medianChunks() {
      List<Integer> n = bySource().values().stream().sorted().toList();
      if (n.isEmpty()) return 0;
      return n.size() % 2 == 1 ? n.get(n.size() / 2) : (n.get(n.size() / 2 - 1) + n.get(n.size() / 2)) / 2.0;
    }

    /** Leaf chunks per document source, from the index. */
    private Map<String, Integer> bySource() {
      if (chunksBySource != null) return chunksBySource;
      Map<String, Integer> byDoc = new HashMap<>();
      for (var leaf : p.index().leafVectors()) byDoc.merge(leaf.docId(), 1, Integer::sum);
      Map<String, Integer> out = new HashMap<>();
      for (Map.Entry<String, Integer> e : byDoc.entrySet()) {
        String source = p.index().chunk(e.getKey() + "#0").map(c -> c.source()).orElse(e.getKey());
        out.merge(source, e.getValue(), Integer::sum);
      }
      return chunksBySource = out;
    }

    @Override
    public List<QueryLog.Entry> traffic() {
      return p.queryLog().listAll(now.minus(Duration.ofDays(30)), null, null, null, null).stream().map(QueryLog.Logged::entry).toList();
    }

    @Override
    public Advisor.Settings settings() {
      return new Advisor.Settings(p.config().budgets().monthUsd(), p95, now);
    }
  }
}
