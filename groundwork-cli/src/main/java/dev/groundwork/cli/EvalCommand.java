package dev.groundwork.cli;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.ProjectEvals;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.RunComparison;
import dev.groundwork.eval.Suite;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true, subcommands = EvalCommand.Compare.class, description = {
    "Run regression suites of questions with expected behaviours, and store the runs.", "",
    "Each case's question goes through `ask`, its assertions are checked, and the run is stored",
    "in .groundwork/runs/. Exit code 1 when a suite's pass rate is below its min_pass_rate, a case",
    "regressed against --baseline, or the run was interrupted (Ctrl-C stores the finished cases",
    "as a partial run). Suite format: see the README.", "",
    "Example:",
    "  $ groundwork eval suites/tidewater.yaml",
    "  suite tidewater: 57 cases",
    "         case                              score  first failure",
    "    ok   visibility-timeout-default         1.00",
    "    FAIL payload-limit                      0.50  contains: expected the answer to contain \"1 MiB\"",
    "  ...",
    "    pass rate 94.7% (54/57, need 90.0%)  mean score 0.974",
    "    PASSED"})
final class EvalCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Mixin ModelFlags modelFlags;

  @Parameters(arity = "0..*", paramLabel = "SUITE", description = "Suite files or folders (default: `suites` in groundwork.yaml).")
  List<Path> suites = new ArrayList<>();

  @Option(names = "--k", paramLabel = "N", description = "Chunks per case, 1..50 (default: the suite's k, else retrieval.k).")
  Integer k;

  @Option(names = "--judge", paramLabel = "MODEL", description = "The model that grades llm-rubric (and grounded) assertions (default: eval.judge).")
  String judge;

  @Option(names = "--concurrency", defaultValue = "1", paramLabel = "N", description = "Cases run at a time, 1..64 (default: 1; raise it for hosted models).")
  int concurrency;

  @Option(names = "--no-cache", description = {"Call the models even for requests answered before (by default a re-run of an",
      "unchanged case is served from .groundwork/cache/model-calls and costs nothing; errors are never cached)."})
  boolean noCache;

  @Option(names = "--json", description = "Print the runs as one JSON document on stdout.")
  boolean json;

  @Option(names = "--baseline", paramLabel = "RUN|last", description = "Compare with a stored run (a file, a run id, or `last` for the previous run of the suite).")
  String baseline;

  @Option(names = "--repeat", defaultValue = "1", paramLabel = "N", description = "Run every case N times; cases that both pass and fail are flagged flaky (default: 1).")
  int repeat;

  @Option(names = "--report", split = ",", paramLabel = "FORMAT", description = "Also write html, junit and/or json reports to .groundwork/reports/.")
  List<String> reports = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProjectConfig cfg = modelFlags.config(project);
    if (judge != null) cfg = cfg.withModels(cfg.models().withJudge(judge));
    try (Project p = Project.open(project.root(), cfg, false)) {
      if (!noCache) p.withModelCache(p.modelCallStore());
      List<Path> paths = new ArrayList<>(suites);
      if (paths.isEmpty()) for (String s : p.config().suites()) paths.add(p.root().resolve(s));
      List<Suite> loaded = ProjectEvals.load(p, paths);
      for (String r : reports) {
        if (!List.of("html", "junit", "json").contains(r)) throw new BadInputException("unknown --report '" + r + "'; accepted: html, json, junit");
      }
      p.requireIndex();
      List<EvalRun> runs = runInterruptibly(stop -> ProjectEvals.run(p, loaded, k, repeat, concurrency, modelFlags.model != null,
          name -> new Progress(Main.err(spec), name, "cases"), stop));
      PrintWriter out = spec.commandLine().getOut();
      boolean ok = true;
      List<Object> jsonOut = new ArrayList<>();
      for (EvalRun r : runs) {
        RunComparison diff = baseline == null ? null : RunComparison.compare(ProjectEvals.find(p.root(), baseline, r.suite(), r.id()), r);
        ok &= r.succeeded() && (diff == null || !diff.regressed());
        writeReports(p, r, diff);
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("run", r);
          if (diff != null) m.put("comparison", diff);
          jsonOut.add(m);
        } else {
          ProjectEvals.printConsole(r, out);
          if (diff != null) diff.print(out);
        }
      }
      if (json) out.println(Json.write(jsonOut.size() == 1 ? jsonOut.get(0) : jsonOut));
      return ok ? Main.OK : Main.FAILED_CHECKS;
    }
  }

  /**
   * Runs {@code work} so that Ctrl-C (or SIGTERM) lets the current case finish and the partial run be
   * stored: a shutdown hook raises the stop flag and waits (30 s at most) until the work has returned.
   */
  static <T> T runInterruptibly(Function<BooleanSupplier, T> work) {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true);
      try {
        done.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return work.apply(stop::get);
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting (Ctrl-C) and the hook is running
      }
    }
  }

  private void writeReports(Project p, EvalRun r, RunComparison diff) throws IOException {
    for (String f : reports) Main.err(spec).println("report: " + ProjectEvals.writeReport(p, r, diff, f));
  }

  /** Compares two stored runs. */
  @Command(name = "compare", mixinStandardHelpOptions = true, description = {
      "Compare two stored runs case by case: improved, regressed, unchanged, new, removed, with the",
      "aggregate deltas. Exit code 1 when a case regressed.", "",
      "Example:",
      "  $ groundwork eval compare 20261125-101500-000-tidewater last",
      "  compared with 20261125-101500-000-tidewater:",
      "    regressed  payload-limit                    contains: pass -> fail",
      "    pass_rate                0.9649 -> 0.9474     (-0.0175)",
      "    0 improved, 1 regressed, 56 unchanged, 0 new, 0 removed"})
  static final class Compare implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The baseline: a run file or id.")
    String a;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The run to judge: a run file, id, or `last` (the newest other run of A's suite).")
    String b;

    @Option(names = "--json", description = "Print the comparison as one JSON document.")
    boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      EvalRun before = ProjectEvals.find(project.root(), a, "", "");
      EvalRun after = ProjectEvals.find(project.root(), b, before.suite(), before.id());
      RunComparison diff = RunComparison.compare(before, after);
      if (json) spec.commandLine().getOut().println(Json.write(diff));
      else diff.print(spec.commandLine().getOut());
      return diff.regressed() ? Main.FAILED_CHECKS : Main.OK;
    }
  }

}
