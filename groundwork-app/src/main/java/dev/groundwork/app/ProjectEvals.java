package dev.groundwork.app;

import dev.groundwork.core.Answer;
import dev.groundwork.core.answer.AskPipeline;
import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.EvalRunner;
import dev.groundwork.eval.LlmJudge;
import dev.groundwork.eval.RunComparison;
import dev.groundwork.eval.RunStore;
import dev.groundwork.eval.Suite;
import dev.groundwork.eval.SuiteException;
import dev.groundwork.eval.SuiteLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;

/**
 * Eval runs of a project, stored in {@code .groundwork/runs/}: the one implementation behind
 * {@code groundwork eval} and the server's eval API. {@link #start} runs one suite at a time.
 */
public final class ProjectEvals implements Evals {
  private final java.util.function.Supplier<Project> live;

  public ProjectEvals(Project project) {
    this(() -> project);
  }

  /** Over whichever project {@code live} gives at each call (a server that reloads its configuration). */
  public ProjectEvals(java.util.function.Supplier<Project> live) {
    this.live = live;
  }

  /** The stored runs of {@code project}. */
  public static RunStore store(Project project) {
    return new RunStore(project.runsDir());
  }

  /** The stored runs of the project in {@code root}, without opening it. */
  public static RunStore store(Path root) {
    return new RunStore(Project.runsDir(root));
  }

  @Override
  public synchronized List<Object> start(String suite) {
    Project project = live.get();
    Path root = project.root();
    Path path = root.resolve(suite).normalize();
    if (!path.startsWith(root)) throw new BadInputException("the suite must be inside the project: " + suite);
    LlmJudge judge = project.judge();
    List<Suite> suites;
    try {
      suites = SuiteLoader.load(path, similarity(project), judge);
    } catch (SuiteException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    return new ArrayList<>(run(project, suites, judge, null, 1, 1, false, name -> IngestListener.NONE, () -> false));
  }

  @Override
  public List<Map<String, Object>> runs() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EvalRun r : store(live.get()).list()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", r.id());
      m.put("suite", r.suite());
      m.put("started", r.started());
      m.put("cases", r.cases().size());
      m.put("passed", r.passed());
      m.put("pass_rate", r.passRate());
      m.put("succeeded", r.succeeded());
      m.put("partial", r.partial());
      m.put("answerer", r.fingerprint().get("answerer"));
      out.add(m);
    }
    return out;
  }

  @Override
  public Object get(String id) {
    return store(live.get()).byId(id);
  }

  @Override
  public Object compare(String before, String after) {
    RunComparison c = RunComparison.compare(store(live.get()).byId(before), store(live.get()).byId(after));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("comparison", c);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (RunComparison.Status s : RunComparison.Status.values()) counts.put(s.name().toLowerCase(Locale.ROOT), c.count(s));
    m.put("counts", counts);
    m.put("regressed", c.regressed());
    return m;
  }

  /**
   * Loads suite files or folders (relative paths against the project), checked before anything runs,
   * with the project's embedder for {@code similar} and its judge for {@code llm-rubric}.
   *
   * @throws BadInputException naming the file, case and field of the first mistake
   */
  public static List<Suite> load(Project p, List<Path> paths) {
    LlmJudge judge = p.judge();
    List<Suite> out = new ArrayList<>();
    try {
      for (Path path : paths) out.addAll(SuiteLoader.load(path.isAbsolute() ? path : p.root().resolve(path), similarity(p), judge));
    } catch (SuiteException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    return out;
  }

  /** Runs loaded suites with the project's judge; see {@link #run(Project, List, LlmJudge, Integer, int, int, boolean, Function, BooleanSupplier)}. */
  public static List<EvalRun> run(Project p, List<Suite> suites, Integer k, int repeat, int concurrency, boolean modelFromFlags,
      Function<String, IngestListener> progress, BooleanSupplier stop) {
    return run(p, suites, p.judge(), k, repeat, concurrency, modelFromFlags, progress, stop);
  }

  /**
   * A stored run by file, id, or {@code last} (the newest run of {@code suite} other than {@code exceptId}).
   *
   * @throws NotFoundException when there is none
   */
  public static EvalRun find(Path root, String ref, String suite, String exceptId) {
    try {
      return store(root).find(ref, suite, exceptId);
    } catch (java.util.NoSuchElementException e) {
      throw new NotFoundException(e.getMessage(), e);
    }
  }

  /** The run as the console shows it: a table of cases with the first failure of each, then the totals. */
  public static void printConsole(EvalRun run, java.io.PrintWriter out) {
    dev.groundwork.eval.ConsoleReport.print(run, out);
  }

  /**
   * Writes the run as a report into {@code .groundwork/reports/}.
   *
   * @param format html (with {@code diff} when given), junit or json
   * @return the file written
   */
  public static Path writeReport(Project p, EvalRun run, RunComparison diff, String format) throws IOException {
    Path dir = java.nio.file.Files.createDirectories(p.dataDir().resolve("reports"));
    Path file = dir.resolve(run.id() + (format.equals("junit") ? ".xml" : "." + format));
    switch (format) {
      case "html" -> dev.groundwork.eval.HtmlReport.write(run, diff, List.of(Advising.section(p, run)), file);
      case "junit" -> dev.groundwork.eval.JunitReport.write(run, file);
      case "json" -> java.nio.file.Files.writeString(file, Json.write(run));
      default -> throw new BadInputException("unknown report format '" + format + "'; accepted: html, json, junit");
    }
    return file;
  }

  /** Cosine similarity of two texts with the project's embedder, for the {@code similar} assertion. */
  public static ToDoubleBiFunction<String, String> similarity(Project p) {
    return (a, b) -> {
      List<float[]> v = p.embedder().embedDocuments(List.of(a, b));
      double dot = 0;
      for (int i = 0; i < v.get(0).length; i++) dot += v.get(0)[i] * v.get(1)[i];
      return dot;
    };
  }

  /** The checked-out commit of the project folder's git repository, if there is one (2 s at most). */
  static Optional<String> gitCommit(Path root) {
    try {
      Process git = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "HEAD").redirectErrorStream(true).start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!git.waitFor(2, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return Optional.empty();
      }
      return git.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // no git on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Runs the suites against the project and stores each run.
   *
   * @param k chunks per case, or null for the suite's k, else retrieval.k
   * @param modelFromFlags true when the caller chose the model: it then wins over a suite's own model
   * @param progress a listener per suite (by name), closed when it is an {@link AutoCloseable}
   * @param stop polled between cases; when it turns true the finished cases are stored as a partial run
   */
  public static List<EvalRun> run(Project p, List<Suite> suites, LlmJudge judge, Integer k, int repeat, int concurrency, boolean modelFromFlags,
      Function<String, IngestListener> progress, BooleanSupplier stop) {
    return run(p, suites, judge, k, repeat, concurrency, modelFromFlags, progress, stop, Map.of());
  }

  /** As above, with {@code extra} added to each run's fingerprint (an experiment's marker, say). */
  public static List<EvalRun> run(Project p, List<Suite> suites, LlmJudge judge, Integer k, int repeat, int concurrency, boolean modelFromFlags,
      Function<String, IngestListener> progress, BooleanSupplier stop, Map<String, Object> extra) {
    if (k != null) Limits.k(k, AskPipeline.MAX_K, "k");
    Map<String, Object> base = new HashMap<>(extra);
    if (p.config().models().judge() != null) base.put("judge", p.config().models().judge());
    base.put("embedder", p.config().embedder());
    base.put("retrieval_mode", p.config().retrieval().mode().label());
    base.put("fusion", p.config().retrieval().fusion().name());
    base.put("min_evidence", p.config().minEvidence());
    base.put("min_answerability", p.config().minAnswerability());
    base.put("chunking", p.config().chunking().toString());
    gitCommit(p.root()).ifPresent(c -> base.put("git_commit", c));
    base.putAll(new dev.groundwork.app.versions.ProjectVersions(p, Clock.systemUTC()).fingerprint());
    RunStore store = store(p);
    List<EvalRun> runs = new ArrayList<>();
    for (Suite s : suites) {
      ModelsConfig m = p.config().models();
      if (s.model() != null && !modelFromFlags) m = m.override(s.model(), null, null, null);
      AskPipeline ask = p.askPipeline(p.config().retrieval(), null, m);
      Map<String, Object> fp = new HashMap<>(base);
      fp.put("answerer", m.model());
      if (!m.model().equals("extractive")) {
        fp.put("fallbacks", String.join(",", m.fallbacks()));
        fp.put("prompt_version", m.prompt().version());
      }
      IngestListener bar = progress.apply("eval " + s.name());
      try {
        bar.started(s.cases().size());
        int kk = k != null ? k : (s.k() != null ? s.k() : p.config().k());
        LlmJudge.Spend before = judge == null ? null : judge.spend();
        Map<String, dev.groundwork.core.model.ChatModel> rewriters = new java.util.concurrent.ConcurrentHashMap<>();
        EvalRunner.Asker asker = new EvalRunner.Asker() {
          @Override
          public Answer ask(String q, int n) {
            return ask.ask(q, n, Filter.NONE);
          }

          @Override
          public Answer ask(List<dev.groundwork.core.retrieve.FollowUps.Turn> earlier, String q, int n) {
            Conversations.Rewritten rw = Conversations.rewrite(p, name -> rewriters.computeIfAbsent(name,
                x -> p.chatModel(p.config().models().override(name, List.of(), null, null))), earlier, q);
            return rw.applyTo(ask.ask(rw.rewrite().query(), rw.question(), n, Filter.NONE, null));
          }
        };
        EvalRun r = new EvalRunner(Clock.systemUTC()).run(s, asker, kk, repeat, concurrency, fp,
            (done, total, result) -> bar.progressed(done, result.id()), stop);
        if (judge != null) r = r.withJudge(judge.spend().since(before));
        r = store.saveNew(r);
        runs.add(r);
      } finally {
        if (bar instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception e) {
            // a progress display that fails to close changes nothing stored
          }
        }
      }
    }
    return runs;
  }
}
