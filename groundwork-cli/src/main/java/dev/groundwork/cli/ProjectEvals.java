package dev.groundwork.cli;

import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.RunComparison;
import dev.groundwork.eval.RunStore;
import dev.groundwork.eval.Suite;
import dev.groundwork.eval.SuiteLoader;
import dev.groundwork.server.Evals;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Eval runs of a served project, stored where `groundwork eval` stores them. One run at a time. */
final class ProjectEvals implements Evals {
  private final Project project;

  ProjectEvals(Project project) {
    this.project = project;
  }

  private RunStore store() {
    return new RunStore(project.dataDir().resolve("runs"));
  }

  @Override
  public synchronized List<Object> start(String suite) {
    Path root = project.root();
    Path path = root.resolve(suite).normalize();
    if (!path.startsWith(root)) throw new IllegalArgumentException("the suite must be inside the project: " + suite);
    List<Suite> suites;
    dev.groundwork.eval.LlmJudge judge = project.judge();
    try {
      suites = SuiteLoader.load(path, EvalCommand.similarity(project), judge);
    } catch (dev.groundwork.eval.SuiteException e) {
      throw new IllegalArgumentException(e.getMessage(), e); // a client's mistake: 400 with the loader's message
    }
    List<Object> out = new ArrayList<>(EvalCommand.run(project, suites, judge, null, 1, 1, false, new PrintStream(PrintStream.nullOutputStream()), () -> false));
    return out;
  }

  @Override
  public List<Map<String, Object>> runs() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EvalRun r : store().list()) {
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
    return store().byId(id);
  }

  @Override
  public Object compare(String before, String after) {
    RunComparison c = RunComparison.compare(store().byId(before), store().byId(after));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("comparison", c);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (RunComparison.Status s : RunComparison.Status.values()) counts.put(s.name().toLowerCase(java.util.Locale.ROOT), c.count(s));
    m.put("counts", counts);
    m.put("regressed", c.regressed());
    return m;
  }
}
