package dev.groundwork.cli;

import dev.groundwork.core.answer.AskPipeline;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.eval.ConsoleReport;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.EvalRunner;
import dev.groundwork.eval.RunStore;
import dev.groundwork.eval.Suite;
import dev.groundwork.eval.SuiteLoader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true, description = {
    "Run regression suites of questions with expected behaviours, and store the runs.", "",
    "Each case's question goes through `ask`, its assertions are checked, and the run is stored",
    "in .groundwork/runs/. Exit code 1 when a suite's pass rate is below its",
    "min_pass_rate. Suite format: see the README.", "",
    "Example:",
    "  $ groundwork eval suites/tidewater.yaml",
    "  suite tidewater: 52 cases",
    "        case                              score  first failure",
    "    ok   visibility-timeout-default         1.00",
    "  ...",
    "    pass rate 100.0% (52/52, need 100.0%)  mean score 0.981"})
final class EvalCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Parameters(arity = "0..*", paramLabel = "SUITE", description = "Suite files or folders (default: `suites` in groundwork.yaml).")
  List<Path> suites = new ArrayList<>();

  @Option(names = "--k", paramLabel = "N", description = "Chunks per case, 1..50 (default: the suite's k, else retrieval.k).")
  Integer k;

  @Option(names = "--json", description = "Print the runs as one JSON document on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Project p = Project.open(project.root(), false)) {
      List<Path> paths = new ArrayList<>(suites);
      if (paths.isEmpty()) for (String s : p.config().suites()) paths.add(p.root().resolve(s));
      List<Suite> loaded = new ArrayList<>();
      for (Path path : paths) loaded.addAll(SuiteLoader.load(path.isAbsolute() ? path : p.root().resolve(path)));
      if (k != null && (k < 1 || k > AskPipeline.MAX_K)) throw new IllegalArgumentException("--k must be in 1.." + AskPipeline.MAX_K + ", got " + k);
      SearchCommand.requireIndex(p);
      List<EvalRun> runs = run(p, loaded, k, Main.err(spec));
      PrintWriter out = spec.commandLine().getOut();
      if (json) out.println(Json.write(runs.size() == 1 ? runs.get(0) : runs));
      else for (EvalRun r : runs) ConsoleReport.print(r, out);
      return runs.stream().allMatch(EvalRun::succeeded) ? Main.OK : Main.FAILED_CHECKS;
    }
  }

  /** Runs the suites against the project and stores each run; progress goes to {@code err}. */
  static List<EvalRun> run(Project p, List<Suite> suites, Integer k, PrintStream err) {
    AskPipeline ask = p.askPipeline(p.config().retrieval());
    Map<String, Object> fp = new HashMap<>();
    fp.put("answerer", p.config().answerModel());
    fp.put("embedder", p.config().embedder());
    fp.put("retrieval_mode", p.config().retrieval().mode().label());
    fp.put("fusion", p.config().retrieval().fusion().name());
    fp.put("min_evidence", p.config().minEvidence());
    fp.put("chunking", p.config().chunking().toString());
    RunStore store = new RunStore(p.dataDir().resolve("runs"));
    List<EvalRun> runs = new ArrayList<>();
    for (Suite s : suites) {
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("eval " + s.name()).setInitialMax(s.cases().size())
          .setStyle(ProgressBarStyle.ASCII).setUnit(" cases", 1).showSpeed().setMaxRenderedLength(100)
          .setConsumer(new ConsoleProgressBarConsumer(err, 100)).build()) {
        int kk = k != null ? k : (s.k() != null ? s.k() : p.config().k());
        EvalRun r = new EvalRunner(Clock.systemUTC()).run(s, (q, n) -> ask.ask(q, n, Filter.NONE), kk, fp,
            (done, total, result) -> bar.stepTo(done));
        store.save(r);
        runs.add(r);
      }
    }
    return runs;
  }
}
