package dev.groundwork.cli;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.app.versions.AdapterVersions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "tune", mixinStandardHelpOptions = true, subcommands = {TuneCommand.Retrieval.class, TuneJobsCommand.Start.class,
    TuneJobsCommand.Status.class, TuneJobsCommand.Wait.class, TuneJobsCommand.Cancel.class, TuneJobsCommand.ListJobs.class}, description = {
    "Learn from the project's own data. `tune retrieval` trains a retrieval adapter; the result is a",
    "version, promoted through its gate with `groundwork versions promote ID`. `tune start` fine-tunes a",
    "model on a dataset (groundwork dataset build); `status`, `wait`, `cancel` and `list` follow its job."})
final class TuneCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "retrieval", mixinStandardHelpOptions = true, description = {
      "Train a retrieval adapter: a linear map over the query vectors of the project's embedder, learned",
      "from (question, relevant document) pairs, so that search ranks the documents your users needed",
      "higher. Documents keep their vectors: nothing is re-embedded, and a rollback is instant.", "",
      "Pairs come from any of: --qrels DIR (BEIR style: queries.jsonl and qrels/SPLIT.tsv naming the",
      "project's document paths), --from-log (answers rated up, with the documents they cited) and",
      "--from-evals (suite cases with a retrieved-source assertion). The questions are split with --seed",
      "into train, dev (early stopping) and gate (used for nothing else). Training runs on the CPU with",
      "the whole corpus as negatives (up to 50,000 documents; mined hard negatives above that), prints",
      "the dev metric per epoch on stderr and stops when dev stops improving. The adapter moves only",
      "questions like its training ones (cosine similarity to the nearest at least a threshold chosen on",
      "dev); any other question is searched as without it.", "",
      "The result is a version of kind retrieval-adapter (not promoted). `groundwork versions promote ID`",
      "runs its gate: on the gate questions, the configured retrieval's nDCG@10 must rise by at least",
      "0.01 over the promoted adapter (or none), with a paired sign-flip test p < 0.05, and the gate",
      "questions about documents no training question was about (when there are 5 or more) must not lose",
      "more than 0.02. Once promoted, search, ask, eval and a running serve use it from their next query.", "",
      "Example (96 SQuAD paragraphs, 192 of their questions as judgements):",
      "  $ groundwork tune retrieval --qrels judgements --learning-rate 0.0002",
      "  pairs: 192 questions {qrels=192}; split: 116 train, 38 dev, 38 gate (seed 13)",
      "  trained in 0.5 s (epoch 1): dev dense nDCG@10 0.9029 -> 0.9126",
      "  scope: moves questions with similarity >= 0.7230 to one of its 116 training questions (50% of dev); dev dense nDCG@10 0.9126",
      "  gate, configured retrieval (dense): nDCG@10 0.9189 -> 0.9189 (+0.0000), paired p=1.000",
      "    of them about documents no training question was about: 15, nDCG@10 0.9754 -> 0.9754",
      "  stored retrieval-adapter-20261203-202011-820f754a; promote it with: groundwork versions promote retrieval-adapter-20261203-202011-820f754a"})
  static final class Retrieval implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--qrels", paramLabel = "DIR", description = "A folder with queries.jsonl and qrels/SPLIT.tsv whose corpus ids are the project's document paths.")
    Path qrels;

    @Option(names = "--split", defaultValue = "train", description = "The qrels split to read (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--from-log", description = "Use answers rated up in the query log, with the documents they cited.")
    boolean fromLog;

    @Option(names = "--from-evals", description = "Use the cases of the configured suites (suites: in groundwork.yaml) that have a retrieved-source assertion.")
    boolean fromEvals;

    @Option(names = "--synthetic", defaultValue = "0", paramLabel = "N", description = {
        "Also have --synthetic-model write one question for each of N chunks drawn with --seed (the",
        "estimated cost is shown first; add --yes to spend it)."})
    int synthetic;

    @Option(names = "--synthetic-model", paramLabel = "MODEL", description = "The model that writes synthetic questions (PROVIDER:MODEL).")
    String syntheticModel;

    @Option(names = "--yes", description = "Spend what --synthetic costs without asking again.")
    boolean yes;

    @Option(names = "--for", defaultValue = "corpus", paramLabel = "WHAT", description = {
        "corpus (the default): later questions are about the documents the pairs are about, as in product help;",
        "new-documents: they are about other documents (negatives: the 10 nearest and in-batch; early stopping",
        "on the dev questions about documents the train part never names)."})
    String purpose;

    @Option(names = "--dev-share", defaultValue = "0.2", description = "Share of the questions for early stopping (default: ${DEFAULT-VALUE}).")
    double devShare;

    @Option(names = "--gate-share", defaultValue = "0.2", description = "Share of the questions kept for the promotion gate (default: ${DEFAULT-VALUE}).")
    double gateShare;

    @Option(names = "--seed", defaultValue = "13", description = "Seed of the split and of training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "40", description = "At most this many epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam's learning rate (default: the trainer's, chosen on SciFact train/dev; see the README).")
    Double learningRate;

    @Option(names = "--note", description = "A note stored with the version.")
    String note;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (qrels == null && !fromLog && !fromEvals && synthetic == 0) {
        throw new BadInputException("name where the pairs come from: --qrels DIR, --from-log, --from-evals and/or --synthetic N");
      }
      if (synthetic > 0 && syntheticModel == null) throw new BadInputException("--synthetic needs --synthetic-model PROVIDER:MODEL, the model that writes the questions");
      AdapterVersions.checkOptions(devShare, gateShare, epochs, learningRate);
      if (!purpose.equals("corpus") && !purpose.equals("new-documents")) throw new BadInputException("--for must be corpus or new-documents, got '" + purpose + "'");
      boolean newDocuments = purpose.equals("new-documents");
      try (Project p = Project.open(project.root(), false)) {
        p.requireIndex();
        List<AdapterVersions.Pair> pairs = new ArrayList<>();
        if (qrels != null) pairs.addAll(AdapterVersions.fromQrels(qrels, split));
        if (fromLog) pairs.addAll(AdapterVersions.fromLog(p.queryLog()));
        if (fromEvals) pairs.addAll(AdapterVersions.fromSuites(p));
        if (synthetic > 0) {
          AdapterVersions.SyntheticPlan plan = VersionsCommand.open(p).adapters().planSynthetic(syntheticModel, synthetic, seed);
          Main.err(spec).printf(Locale.ROOT, "groundwork: %d synthetic questions with %s: about %d input and %d output tokens, %s%n", plan.calls(), plan.model(),
              plan.inputTokens(), plan.outputTokens(), plan.costUsd() == null ? "cost unknown (no price for the model)" : String.format(Locale.ROOT, "about $%.4f", plan.costUsd()));
          if (!yes) throw new BadInputException("nothing was spent: run again with --yes to have " + plan.model() + " write them");
          try (Progress bar = new Progress(Main.err(spec), "synthetic questions", "questions")) {
            bar.started(plan.calls());
            pairs.addAll(VersionsCommand.open(p).adapters().synthetic(syntheticModel, synthetic, seed, n -> bar.progressed(n, "")));
          }
        }
        Map<String, Integer> bySource = new TreeMap<>();
        for (AdapterVersions.Pair x : pairs) bySource.merge(x.source(), 1, Integer::sum);
        PrintStream err = Main.err(spec);
        err.printf("groundwork: %d pairs %s; training a query adapter%n", pairs.size(), bySource);
        AdapterVersions.Trained t = VersionsCommand.open(p).adapters().train(pairs, devShare, gateShare, newDocuments, epochs, learningRate, seed, note,
            e -> err.printf(Locale.ROOT, "groundwork: epoch %2d  loss %.4f  dev dense nDCG@10 %.4f  %.1f s%n", e.epoch(), e.loss(), e.devNdcg10(), e.seconds()));
        PrintWriter out = spec.commandLine().getOut();
        String mode = p.config().retrieval().mode().label();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("version", t.version().id());
          m.put("sources", bySource);
          m.put("n_train", t.nTrain());
          m.put("n_dev", t.nDev());
          m.put("n_gate", t.nGate());
          m.put("epochs", t.result().bestEpoch());
          m.put("train_seconds", Json.round(t.result().seconds()));
          m.put("dev", Map.of("dense_ndcg@10_before", Json.round(t.result().startDevNdcg10()), "dense_ndcg@10_after", Json.round(t.result().bestDevNdcg10())));
          if (t.fusion().tried()) {
            Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("chosen", t.fusion().tuned() == null ? null
                : Map.of("bm25_weight", t.fusion().tuned().bm25Weight(), "dense_weight", t.fusion().tuned().denseWeight(), "late_weight", t.fusion().tuned().lateWeight()));
            f.put("dev_ndcg@10_configured", Json.round(t.fusion().devBefore()));
            f.put("dev_ndcg@10_chosen", Json.round(t.fusion().devAfter()));
            m.put("fusion", f);
          }
          m.put("scope", Map.of("threshold", Json.round(t.scope().chosen().threshold()), "anchors", t.scope().anchors(), "dev_moved",
              Json.round(t.scope().chosen().coverage()), "dev_dense_ndcg@10", Json.round(t.scope().chosen().devNdcg10())));
          Map<String, Object> g = new LinkedHashMap<>();
          g.put("mode", mode);
          g.put("ndcg@10_before", Json.round(t.gateBefore()));
          g.put("ndcg@10_after", Json.round(t.gateAfter()));
          g.put("p_value", Json.round(t.pValue()));
          g.put("unseen_questions", t.unseen().n());
          if (t.unseen().checked()) {
            g.put("unseen_ndcg@10_before", Json.round(t.unseen().before()));
            g.put("unseen_ndcg@10_after", Json.round(t.unseen().after()));
          }
          m.put("gate", g);
          m.put("for", purpose);
          out.println(Json.write(m));
          return Main.OK;
        }
        out.printf("pairs: %d questions %s; split: %d train, %d dev, %d gate (seed %d)%n", t.nTrain() + t.nDev() + t.nGate(), bySource, t.nTrain(), t.nDev(),
            t.nGate(), seed);
        out.printf(Locale.ROOT, "trained in %.1f s (epoch %d): dev dense nDCG@10 %.4f -> %.4f%n", t.result().seconds(), t.result().bestEpoch(),
            t.result().startDevNdcg10(), t.result().bestDevNdcg10());
        out.printf(Locale.ROOT, "scope: moves questions with similarity >= %.4f to one of its %d training questions (%.0f%% of dev); dev dense nDCG@10 %.4f%n",
            t.scope().chosen().threshold(), t.scope().anchors(), 100 * t.scope().chosen().coverage(), t.scope().chosen().devNdcg10());
        if (t.fusion().tried() && t.fusion().tuned() == null) {
          out.printf(Locale.ROOT, "fusion: the configured settings kept (no change rose on dev with paired p < 0.05; dev nDCG@10 %.4f)%n", t.fusion().devBefore());
        } else if (t.fusion().tried()) {
          var f = t.fusion().tuned();
          out.printf(Locale.ROOT, "fusion for the questions in scope: BM25 %s : dense %s, late interaction %s (dev nDCG@10 %.4f -> %.4f)%n", f.bm25Weight(), f.denseWeight(),
              f.lateWeight(), t.fusion().devBefore(), t.fusion().devAfter());
        }
        out.printf(Locale.ROOT, "gate, configured retrieval (%s): nDCG@10 %.4f -> %.4f (%+.4f), paired p=%.3f%n", mode, t.gateBefore(), t.gateAfter(),
            t.gateAfter() - t.gateBefore(), t.pValue());
        if (t.unseen().checked()) {
          out.printf(Locale.ROOT, "  of them about documents no training question was about: %d, nDCG@10 %.4f -> %.4f%n", t.unseen().n(), t.unseen().before(),
              t.unseen().after());
        }
        out.printf("stored %s; promote it with: groundwork versions promote %s%n", t.version().id(), t.version().id());
        return Main.OK;
      }
    }
  }
}
