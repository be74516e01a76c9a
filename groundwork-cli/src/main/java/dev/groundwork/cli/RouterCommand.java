package dev.groundwork.cli;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.Json;
import dev.groundwork.app.ModelsConfig;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectEvals;
import dev.groundwork.app.versions.RouterVersions;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.routing.Outcomes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "router", mixinStandardHelpOptions = true, subcommands = RouterCommand.Train.class, description = {
    "Routers for routes whose policy is learned: trained on the project's own outcomes, stored as",
    "versions of kind router, promoted through their gate (groundwork versions promote ID).", "",
    "Example:",
    "  $ groundwork router train --route support --runs run-cheap,run-strong",
    "  ..."})
final class RouterCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "train", mixinStandardHelpOptions = true, description = {
      "Train a router for a route: per question, the expected gain of the route's strong (last) model over",
      "its cheap (first) one. The outcomes come from two eval runs of the same suite, one with each model",
      "(--runs CHEAP_RUN,STRONG_RUN: run ids, or 'last'), from routing-outcomes files (--outcomes), and/or",
      "from the query log (--from-log: the route's answers rated up or down, and its escalations).",
      "A share of them is held out (--heldout-share, seeded); the router's kind and penalty are chosen by",
      "5-fold cross-validation on the rest, and the threshold sends --strong-share of the training",
      "questions straight to the strong model. The result is a version of kind router (not promoted):",
      "`groundwork versions promote ID` runs its gate (held-out APGR above random and above the promoted",
      "router's, paired bootstrap p < 0.05), and a route with policy: learned then uses it.", "",
      "Example:",
      "  $ groundwork router train --route support --runs run-20261203-101500-ab12,run-20261203-102000-cd34",
      "  router for route support (extractive -> openai:gpt-4.1-mini): 84 questions to train, 36 held out",
      "  chosen on 5 folds: linear (ridge l2=10, words+shape), CV APGR 0.612",
      "  held out: APGR 0.648 (random 0.497, oracle 1.214); threshold 0.083 sends 30% straight to openai:gpt-4.1-mini",
      "  stored router-20261203-102512-9f3a1c2e; promote it with: groundwork versions promote router-20261203-102512-9f3a1c2e"})
  static final class Train implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--route", required = true, paramLabel = "NAME", description = "The route (under routes: in groundwork.yaml).")
    String route;

    @Option(names = "--runs", split = ",", paramLabel = "RUN", description = "Two eval runs of one suite: the cheap model's, then the strong model's.")
    List<String> runs;

    @Option(names = "--outcomes", split = ",", paramLabel = "PATH", description = "Routing-outcomes files or folders scoring the route's first and last models.")
    List<Path> outcomes;

    @Option(names = "--from-log", description = {"Also learn from the query log: a kept cheap answer rated up (cheap good) or down",
        "(cheap bad), and an escalation (cheap bad, strong good unless rated down)."})
    boolean fromLog;

    @Option(names = "--strong-share", defaultValue = "0.3", description = "Share of questions sent straight to the strong model (default: ${DEFAULT-VALUE}).")
    double strongShare;

    @Option(names = "--heldout-share", defaultValue = "0.3", description = "Share held out for the gate (default: ${DEFAULT-VALUE}).")
    double heldoutShare;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the held-out split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--note", description = "A note stored with the version.")
    String note;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (runs != null && outcomes != null) throw new BadInputException("give either --runs CHEAP_RUN,STRONG_RUN or --outcomes PATH, not both");
      if (runs == null && outcomes == null && !fromLog) throw new BadInputException("give --runs CHEAP_RUN,STRONG_RUN, --outcomes PATH or --from-log");
      try (Project p = Project.open(project.root(), false)) {
        ModelsConfig.Route r = p.config().models().routes().get(route);
        if (r == null) {
          throw new BadInputException("no route '" + route + "' in groundwork.yaml" + (p.config().models().routes().isEmpty() ? "; add one under routes:"
              : "; the routes are " + String.join(", ", new java.util.TreeSet<>(p.config().models().routes().keySet()))));
        }
        List<Outcomes.Outcome> data = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        if (runs != null) {
          if (runs.size() != 2) throw new BadInputException("--runs takes two runs: the cheap model's, then the strong model's");
          EvalRun weak = ProjectEvals.find(p.root(), runs.get(0), null, null);
          EvalRun strong = ProjectEvals.find(p.root(), runs.get(1), null, weak.id());
          data.addAll(RouterVersions.fromRuns(weak, strong));
          names.add("runs:" + weak.id() + "," + strong.id());
        } else if (outcomes != null) {
          data.addAll(RouterVersions.fromFiles(outcomes));
          names.add("outcomes:" + outcomes);
        }
        if (fromLog) {
          List<Outcomes.Outcome> logged = RouterVersions.fromLog(p.queryLog(), r);
          if (logged.isEmpty()) {
            throw new BadInputException("the query log has no labelled answers of route " + route + " (rated up or down, or escalated); "
                + "rate answers with POST /api/feedback (or the web console), or use --runs / --outcomes");
          }
          data.addAll(logged);
          names.add("log:" + logged.size());
        }
        String dataName = String.join("+", names);
        RouterVersions.Trained t;
        try (Progress progress = new Progress(Main.err(spec), "choose router", "fits")) {
          progress.started(RouterVersions.fits(data));
          t = VersionsCommand.open(p).routers().train(r, data, dataName, strongShare, heldoutShare, seed, note, done -> progress.progressed(done, ""));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("version", t.version().id());
          m.put("route", route);
          m.put("chosen", t.choice().chosen().describe());
          m.put("cv_apgr", t.choice().cvApgr().get(t.choice().chosen()));
          m.put("heldout_apgr", Double.isNaN(t.heldoutApgr()) ? null : t.heldoutApgr());
          m.put("random_apgr", Double.isNaN(t.randomApgr()) ? null : t.randomApgr());
          m.put("oracle_apgr", Double.isNaN(t.oracleApgr()) ? null : t.oracleApgr());
          m.put("threshold", t.threshold());
          m.put("n_train", t.nTrain());
          m.put("n_heldout", t.nHeldout());
          out.println(Json.write(m));
          return Main.OK;
        }
        String weakModel = r.models().get(0), strongModel = r.models().get(r.models().size() - 1);
        out.printf("router for route %s (%s -> %s): %d questions to train, %d held out%n", route, weakModel, strongModel, t.nTrain(), t.nHeldout());
        out.printf(Locale.ROOT, "chosen on 5 folds: %s, CV APGR %.3f%n", t.choice().chosen().describe(), t.choice().cvApgr().get(t.choice().chosen()));
        out.printf(Locale.ROOT, "held out: APGR %.3f (random %.3f, oracle %.3f); threshold %.3f sends %.0f%% straight to %s%n", t.heldoutApgr(), t.randomApgr(),
            t.oracleApgr(), t.threshold(), 100 * strongShare, strongModel);
        out.printf("stored %s; promote it with: groundwork versions promote %s%n", t.version().id(), t.version().id());
        return Main.OK;
      }
    }
  }
}
