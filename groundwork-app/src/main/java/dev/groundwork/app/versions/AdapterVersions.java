package dev.groundwork.app.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.app.BadInputException;
import dev.groundwork.app.ConfigException;
import dev.groundwork.app.Project;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.core.metrics.RetrievalMetrics;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.retrieve.SearchMode;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.core.spi.Index;
import dev.groundwork.core.spi.OncePerQueryEmbedder;
import dev.groundwork.eval.EvalCase;
import dev.groundwork.eval.Suite;
import dev.groundwork.tuning.AdaptedEmbedder;
import dev.groundwork.tuning.AdapterTrainer;
import dev.groundwork.tuning.AdapterScope;
import dev.groundwork.tuning.Judgements;
import dev.groundwork.tuning.PairedTest;
import dev.groundwork.tuning.QueryAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Retrieval adapters as versions of kind {@code retrieval-adapter}: a linear map over the query
 * vectors of the project's frozen embedder, learned from (question, relevant document) pairs.
 *
 * <p>The pairs come from BEIR-style judgements, from answers rated up in the query log (the
 * documents they cited), from eval cases with a {@code retrieved-source} assertion, and from
 * questions a model writes for sampled chunks (its cost planned first). Their questions are split
 * three ways with a seed: train (fits the map), dev (early stopping) and gate (used for nothing
 * else). The gate's questions travel in the version: promotion measures the project's configured
 * retrieval (hybrid by default) with the candidate against the adapter promoted now (or none),
 * question by question, and passes only when nDCG@10 rises by at least {@link #MARGIN} with a
 * one-sided paired sign-flip test below {@link #ALPHA}, and the gate questions about documents no
 * training question was about lose at most {@link #UNSEEN_TOLERANCE}.
 *
 * <p>The corpus side is the index's stored vectors, so nothing is embedded again: an adapter moves
 * queries only, and a promoted one applies to every search from the next query on.
 */
public final class AdapterVersions {
  public static final String ARTIFACT = "adapter.json";
  static final String FORMAT = "groundwork-retrieval-adapter";

  /** Fewer distinct questions than this cannot fill three splits with anything meaningful. */
  public static final int MIN_QUESTIONS = 30;

  /** The gate's required rise in nDCG@10, and the p-value its paired test must beat. */
  public static final double MARGIN = 0.01;

  public static final double ALPHA = 0.05;

  /**
   * How much the gate questions about documents no training question was about may lose (when there
   * are at least {@link #MIN_UNSEEN} of them): an adapter also learns which documents get asked about,
   * and can make the others harder to find.
   */
  public static final double UNSEEN_TOLERANCE = 0.02;

  static final int MIN_UNSEEN = 5;

  static final int RESAMPLES = 2000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Project project;
  private final VersionRegistry registry;

  AdapterVersions(Project project, VersionRegistry registry) {
    this.project = project;
    this.registry = registry;
  }

  /** A question and the documents (index document ids) that answer it, with where the pair came from. */
  public record Pair(String question, Set<String> documents, String source) {}

  /** What training measured, with the stored version. */
  public record Trained(Version version, AdapterTrainer.Result result, AdapterScope.Choice scope, FusionChoice fusion, int nTrain, int nDev, int nGate,
      double gateBefore, double gateAfter, double pValue, Unseen unseen) {}

  /** Pairs from a BEIR-style folder: {@code queries.jsonl} and {@code qrels/<split>.tsv}; documents are the project's document ids. */
  public static List<Pair> fromQrels(Path dir, String split) {
    Map<String, String> queries;
    Map<String, Map<String, Integer>> qrels;
    try {
      queries = Judgements.queries(dir.resolve("queries.jsonl"));
      qrels = Judgements.qrels(dir.resolve("qrels").resolve(split + ".tsv"));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--qrels " + dir + ": " + e.getMessage() + " (expected queries.jsonl and qrels/" + split + ".tsv, as in BEIR)");
    }
    List<Pair> out = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    qrels.forEach((qid, docs) -> {
      String q = queries.get(qid);
      Set<String> rel = new TreeSet<>();
      docs.forEach((d, g) -> {
        if (g > 0) rel.add(d);
      });
      if (q == null) missing.add(qid);
      else if (!rel.isEmpty()) out.add(new Pair(q, rel, "qrels"));
    });
    if (!missing.isEmpty()) {
      throw new BadInputException("--qrels " + dir + ": qrels/" + split + ".tsv names " + missing.size() + " query id(s) that queries.jsonl does not have, e.g. "
          + missing.subList(0, Math.min(3, missing.size())));
    }
    return out;
  }

  /** Pairs from the query log: each answer rated up, with the documents it cited. */
  public static List<Pair> fromLog(QueryLog log) {
    List<Pair> out = new ArrayList<>();
    for (QueryLog.Logged l : log.listAll(null, null, null, "up", false)) {
      Set<String> docs = new TreeSet<>();
      for (String c : l.entry().citations()) docs.add(c.replaceFirst("^\\[\\d+\\]\\s*", ""));
      if (!docs.isEmpty()) out.add(new Pair(l.entry().question(), docs, "log"));
    }
    return out;
  }

  /** What {@link #synthetic} would cost, before it runs: calls, estimated tokens, and USD (null when the price is unknown). */
  public record SyntheticPlan(String model, int calls, long inputTokens, long outputTokens, Double costUsd) {}

  static final String SYNTHETIC_PROMPT = "Write one question that a user of this documentation might ask and that the passage below answers. "
      + "Do not quote the passage; ask the way a person would. Reply with the question only.";

  /** Output tokens budgeted per synthetic question. */
  static final int SYNTHETIC_MAX_TOKENS = 60;

  /** The leaves {@link #synthetic} would write questions for: {@code n} drawn with {@code seed} from the index. */
  private List<Index.LeafVector> sample(int n, long seed) {
    List<Index.LeafVector> leaves = new ArrayList<>(project.index().leafVectors());
    leaves.sort(java.util.Comparator.comparing(Index.LeafVector::chunkId));
    Collections.shuffle(leaves, new Random(seed));
    return leaves.subList(0, Math.min(n, leaves.size()));
  }

  /** The cost of writing {@code n} synthetic questions with {@code model}: its prompt and each sampled chunk, counted with the embedder's tokenizer. */
  public SyntheticPlan planSynthetic(String model, int n, long seed) {
    if (n < 1) throw new BadInputException("--synthetic must be at least 1, got " + n);
    project.requireIndex();
    long in = 0;
    Embedder e = project.embedder();
    for (Index.LeafVector v : sample(n, seed)) {
      String text = project.index().chunk(v.chunkId()).map(dev.groundwork.core.Chunk::text).orElse("");
      in += e.countTokens(SYNTHETIC_PROMPT) + e.countTokens(text) + 16;
    }
    int calls = Math.min(n, project.index().leafCount());
    long out = (long) calls * SYNTHETIC_MAX_TOKENS;
    Double cost = project.config().models().prices().cost(model, new dev.groundwork.core.model.TokenUsage(in, 0, out, true));
    return new SyntheticPlan(model, calls, in, out, cost);
  }

  /**
   * Pairs written by {@code model}: for each of {@code n} chunks drawn with {@code seed}, one question
   * it answers, paired with the chunk's document. A call that fails or returns nothing is skipped.
   */
  public List<Pair> synthetic(String model, int n, long seed, java.util.function.IntConsumer progress) {
    project.requireIndex();
    dev.groundwork.core.model.ChatModel m = project.chatModel(project.config().models().override(model, List.of(), null, null));
    List<Pair> out = new ArrayList<>();
    int done = 0;
    for (Index.LeafVector v : sample(n, seed)) {
      String text = project.index().chunk(v.chunkId()).map(dev.groundwork.core.Chunk::text).orElse("");
      try {
        var r = m.chat(new dev.groundwork.core.model.ChatRequest(List.of(dev.groundwork.core.model.ChatMessage.system(SYNTHETIC_PROMPT),
            dev.groundwork.core.model.ChatMessage.user(text)), 0.7, SYNTHETIC_MAX_TOKENS, List.of(), null, null));
        String q = r.text() == null ? "" : r.text().strip();
        if (!q.isEmpty()) out.add(new Pair(dev.groundwork.core.text.CleanText.of(q), Set.of(v.docId()), "synthetic:" + model));
      } catch (RuntimeException e) {
        // one failed question costs one pair, not the run
      }
      progress.accept(++done);
    }
    return out;
  }

  /** Pairs from the cases of the project's configured suites that have a {@code retrieved-source} assertion. */
  public static List<Pair> fromSuites(Project p) {
    List<Path> paths = p.config().suites().stream().map(Path::of).filter(x -> Files.exists(p.root().resolve(x))).toList();
    return fromSuites(dev.groundwork.app.ProjectEvals.load(p, paths), p.index().documents().keySet());
  }

  /** Pairs from eval cases with a {@code retrieved-source} assertion: the documents its pattern names in {@code indexed}. */
  public static List<Pair> fromSuites(List<Suite> suites, Set<String> indexed) {
    List<Pair> out = new ArrayList<>();
    for (Suite s : suites) {
      for (EvalCase c : s.cases()) {
        Set<String> docs = new TreeSet<>();
        for (String pattern : c.expectedRetrievals()) for (String d : indexed) if (EvalCase.sourceMatches(d, pattern)) docs.add(d);
        if (!docs.isEmpty()) out.add(new Pair(c.question(), docs, "eval:" + s.name()));
      }
    }
    return out;
  }

  /**
   * Trains an adapter on {@code pairs} and stores it as a version (not promoted).
   *
   * @param devShare the share of the questions for early stopping, and {@code gateShare} for the gate (each at least 0.1)
   * @param forNewDocuments train for questions about documents no training question was about: early
   *     stopping on the dev questions whose documents the train part never names (all of dev when fewer
   *     than 10 are), with {@code settings} as {@link AdapterTrainer.Settings#forNewDocuments} makes them
   */
  public Trained train(List<Pair> pairs, double devShare, double gateShare, boolean forNewDocuments, int maxEpochs, Double learningRate, long seed,
      String note, Consumer<AdapterTrainer.Epoch> progress) {
    checkOptions(devShare, gateShare, maxEpochs, learningRate);
    AdapterTrainer.Settings base = forNewDocuments ? AdapterTrainer.Settings.forNewDocuments() : AdapterTrainer.Settings.defaults();
    AdapterTrainer.Settings s = base.withEpochs(maxEpochs, base.patience());
    s = new AdapterTrainer.Settings(s.temperature(), learningRate == null ? s.learningRate() : learningRate, s.identityPull(), s.batchSize(), s.maxEpochs(),
        s.patience(), s.wholeCorpusLimit(), s.minedNegatives(), seed);
    return train(pairs, s, devShare, gateShare, forNewDocuments, note, progress);
  }

  /** @throws BadInputException naming the option, before anything is gathered or spent */
  public static void checkOptions(double devShare, double gateShare, int maxEpochs, Double learningRate) {
    if (!(devShare >= 0.1 && gateShare >= 0.1 && devShare + gateShare <= 0.6)) {
      throw new BadInputException("--dev-share and --gate-share must each be at least 0.1 and together at most 0.6, got " + devShare + " and " + gateShare);
    }
    if (maxEpochs < 1) throw new BadInputException("--epochs must be at least 1, got " + maxEpochs);
    if (learningRate != null && !(learningRate > 0 && learningRate < 1)) throw new BadInputException("--learning-rate must be in (0, 1), got " + learningRate);
  }

  Trained train(List<Pair> pairs, AdapterTrainer.Settings settings, double devShare, double gateShare, boolean forNewDocuments, String note,
      Consumer<AdapterTrainer.Epoch> progress) {
    project.requireIndex();
    Index index = project.index();
    Set<String> indexed = index.documents().keySet();
    // one entry per question: the documents of every pair that asks it
    Map<String, Set<String>> byQuestion = new TreeMap<>();
    Map<String, Integer> bySource = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    for (Pair p : pairs) {
      for (String d : p.documents()) if (!indexed.contains(d)) unknown.add(d);
      byQuestion.computeIfAbsent(p.question().strip(), q -> new TreeSet<>()).addAll(p.documents());
      bySource.merge(p.source(), 1, Integer::sum);
    }
    if (!unknown.isEmpty()) {
      throw new BadInputException(unknown.size() + " pair(s) name documents the index does not hold, e.g. " + new TreeSet<>(unknown).stream().limit(3).toList()
          + "; documents are named by their path in the project (as `groundwork search` shows them); ingest them first or fix the pairs");
    }
    if (byQuestion.size() < MIN_QUESTIONS) {
      throw new BadInputException("too few questions to train and gate an adapter: " + byQuestion.size() + " (from " + bySource
          + "); at least " + MIN_QUESTIONS + " distinct questions are needed, so that train, dev and gate each hold some");
    }
    List<String> questions = new ArrayList<>(byQuestion.keySet());
    Collections.shuffle(questions, new Random(settings.seed()));
    int nGate = (int) Math.round(questions.size() * gateShare), nDev = (int) Math.round(questions.size() * devShare);
    List<String> gate = questions.subList(0, nGate), dev = questions.subList(nGate, nGate + nDev), train = questions.subList(nGate + nDev, questions.size());

    Embedder embedder = project.embedder();
    List<Index.LeafVector> leaves = index.leafVectors();
    Map<String, Integer> docIndex = new LinkedHashMap<>();
    float[][] chunks = new float[leaves.size()][];
    int[] owner = new int[leaves.size()];
    for (int i = 0; i < leaves.size(); i++) {
      chunks[i] = leaves.get(i).vector();
      owner[i] = docIndex.computeIfAbsent(leaves.get(i).docId(), k -> docIndex.size());
    }
    AdapterTrainer.Corpus corpus = new AdapterTrainer.Corpus(embedder.dimension(), chunks, owner, docIndex.size());
    Set<String> trainDocs = new TreeSet<>();
    for (String q : train) trainDocs.addAll(byQuestion.get(q));
    List<String> stopOn = dev;
    if (forNewDocuments) {
      List<String> unseen = dev.stream().filter(q -> byQuestion.get(q).stream().noneMatch(trainDocs::contains)).toList();
      if (unseen.size() >= 10) stopOn = unseen;
    }
    // BM25 negatives only where the corpus is too large to use whole; trained for new documents, negatives stay among
    // documents that were asked about (as measured in the README)
    boolean bm25 = !forNewDocuments && docIndex.size() > settings.wholeCorpusLimit();
    AdapterTrainer.Pairs trainPairs = pairs(train, byQuestion, docIndex, embedder, bm25), stopPairs = pairs(stopOn, byQuestion, docIndex, embedder, false);
    AdapterTrainer.Result r = AdapterTrainer.train(corpus, trainPairs, stopPairs, settings, project.config().effectiveThreads(), progress);
    // the adapter moves only questions like the ones it learned from; how alike, dev decides
    AdapterScope.Choice scope = AdapterScope.choose(r.adapter(), trainPairs.queries(), corpus, stopPairs, settings.seed());
    QueryAdapter adapter = scope.adapter();
    OncePerQueryEmbedder once = new OncePerQueryEmbedder(embedder);
    // searching hybrid, the fusion settings are chosen with the adapter, on dev, for the questions in its scope
    FusionChoice fusion = chooseFusion(dev, byQuestion, once, adapter);
    AdaptedEmbedder candidate = new AdaptedEmbedder(once, adapter, "candidate", fusion.tuned());

    double[] before = gateNdcg(gate, byQuestion, embedder), after = gateNdcg(gate, byQuestion, candidate);
    double p = PairedTest.pValue(after, before, RESAMPLES, 17);
    Unseen unseen = Unseen.of(gate, byQuestion, trainDocs, before, after);

    Map<String, Object> artifact = new LinkedHashMap<>();
    artifact.put("format", FORMAT);
    artifact.put("version", 1);
    artifact.put("embedder", embedder.name());
    artifact.put("dimension", embedder.dimension());
    artifact.put("weights", Base64.getEncoder().encodeToString(adapter.toBytes()));
    if (fusion.tuned() != null) {
      artifact.put("retrieval", Map.of("bm25_weight", fusion.tuned().bm25Weight(), "dense_weight", fusion.tuned().denseWeight(), "late_weight",
          fusion.tuned().lateWeight()));
    }
    List<Map<String, Object>> gateJson = new ArrayList<>();
    for (String q : gate) gateJson.add(Map.of("question", q, "documents", List.copyOf(byQuestion.get(q))));
    artifact.put("gate", gateJson);
    // for the gate's check of questions about documents no training question was about
    artifact.put("train_documents", List.copyOf(trainDocs));
    byte[] content;
    try {
      content = JSON.writeValueAsBytes(artifact);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("embedder", embedder.name());
    s.put("kind", "linear " + embedder.dimension() + "x" + embedder.dimension());
    s.put("temperature", settings.temperature());
    s.put("learning_rate", settings.learningRate());
    s.put("identity_pull", settings.identityPull());
    s.put("batch_size", settings.batchSize());
    s.put("negatives", r.wholeCorpus() ? "whole corpus" : settings.minedNegatives() + " nearest" + (bm25 ? " + BM25's top 30" : "") + " + in-batch");
    s.put("for", forNewDocuments ? "new-documents" : "corpus");
    s.put("early_stopping_questions", stopOn.size());
    s.put("dev_share", devShare);
    s.put("gate_share", gateShare);
    s.put("seed", settings.seed());
    s.put("sources", bySource);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n_train", train.size());
    m.put("n_dev", dev.size());
    m.put("n_gate", gate.size());
    m.put("epochs", r.bestEpoch());
    m.put("dev_dense_ndcg@10_before", r.startDevNdcg10());
    m.put("dev_dense_ndcg@10_after", r.bestDevNdcg10());
    m.put("scope_threshold", scope.chosen().threshold());
    m.put("scope_anchors", adapter.anchorCount());
    m.put("scope_dev_moved", scope.chosen().coverage());
    m.put("dev_dense_ndcg@10_scoped", scope.chosen().devNdcg10());
    if (fusion.tried()) {
      m.put("dev_ndcg@10_configured_fusion", fusion.devBefore());
      m.put("dev_ndcg@10_tuned_fusion", fusion.devAfter());
    }
    if (fusion.tuned() != null) {
      m.put("fusion_bm25_weight", fusion.tuned().bm25Weight());
      m.put("fusion_dense_weight", fusion.tuned().denseWeight());
      m.put("fusion_late_weight", fusion.tuned().lateWeight());
    }
    m.put("gate_ndcg@10_before", PairedTest.mean(before));
    m.put("gate_ndcg@10_after", PairedTest.mean(after));
    m.put("gate_p_value", p);
    m.putAll(unseen.metrics());
    m.put("train_seconds", r.seconds());
    StringBuilder data = new StringBuilder();
    byQuestion.forEach((q, d) -> data.append(q).append('\t').append(d).append('\n'));
    Version v = registry.add(VersionKind.RETRIEVAL_ADAPTER, ARTIFACT, content,
        Map.of("pairs", VersionRegistry.sha256(data.toString().getBytes(StandardCharsets.UTF_8))), s, m, note);
    return new Trained(v, r, scope, fusion, train.size(), dev.size(), gate.size(), PairedTest.mean(before), PairedTest.mean(after), p, unseen);
  }

  /**
   * The questions as training pairs. A question whose documents have no chunks (nothing was embedded)
   * is left out. With {@code bm25Negatives} (a corpus too large to use whole), each question also
   * brings the documents of its 30 best BM25 chunks as hard negatives.
   */
  private AdapterTrainer.Pairs pairs(List<String> questions, Map<String, Set<String>> byQuestion, Map<String, Integer> docIndex, Embedder e,
      boolean bm25Negatives) {
    List<float[]> q = new ArrayList<>();
    List<int[]> rel = new ArrayList<>();
    List<int[]> neg = new ArrayList<>();
    for (String question : questions) {
      int[] r = byQuestion.get(question).stream().filter(docIndex::containsKey).mapToInt(docIndex::get).toArray();
      if (r.length == 0) continue;
      q.add(e.embedQuery(question));
      rel.add(r);
      if (bm25Negatives) {
        neg.add(project.index().searchText(question, 30, Filter.NONE).stream().map(h -> docIndex.get(h.chunk().docId())).filter(java.util.Objects::nonNull)
            .mapToInt(Integer::intValue).distinct().toArray());
      }
    }
    return new AdapterTrainer.Pairs(q.toArray(new float[0][]), rel.toArray(new int[0][]), bm25Negatives ? neg.toArray(new int[0][]) : null);
  }

  /**
   * The fusion settings chosen with an adapter: null {@code tuned} when the project does not search
   * hybrid, or no candidate moved.
   *
   * @param devBefore dev nDCG@10 with the adapter and the configured settings; {@code devAfter} with the chosen ones
   */
  public record FusionChoice(AdaptedEmbedder.TunedRetrieval tuned, double devBefore, double devAfter) {
    /** Whether the choice ran: the project searches hybrid and dev has 5 questions or more. */
    public boolean tried() {
      return !Double.isNaN(devBefore);
    }
  }

  /** BM25 : dense weights tried beside the configured ones, then late-interaction weights (where the project uses late interaction). */
  static final double[][] WEIGHTS = {{0.5, 1.0}, {1.0, 0.5}};
  static final double[] LATE_WEIGHTS = {0.0, 0.5, 1.5};

  /**
   * Coordinate ascent over the BM25 : dense weights, then the late-interaction weight, on the dev
   * questions, with the adapter: a step moves away from the value held (the configured one first)
   * only when the dev nDCG@10 rises with a one-sided paired sign-flip p below {@link #ALPHA}, as
   * `bench beir --tune` decides. Questions outside the adapter's scope keep the configured settings
   * whatever is chosen.
   */
  private FusionChoice chooseFusion(List<String> devQuestions, Map<String, Set<String>> byQuestion, OncePerQueryEmbedder base, QueryAdapter adapter) {
    RetrievalOptions configured = project.config().retrieval();
    if (configured.mode() != SearchMode.HYBRID || devQuestions.size() < 5) return new FusionChoice(null, Double.NaN, Double.NaN);
    AdaptedEmbedder.TunedRetrieval held = new AdaptedEmbedder.TunedRetrieval(configured.bm25Weight(), configured.denseWeight(), configured.lateWeight());
    double[] heldScores = gateNdcg(devQuestions, byQuestion, new AdaptedEmbedder(base, adapter, "candidate", held));
    double start = PairedTest.mean(heldScores);
    List<AdaptedEmbedder.TunedRetrieval> steps = new ArrayList<>();
    for (double[] w : WEIGHTS) steps.add(new AdaptedEmbedder.TunedRetrieval(w[0], w[1], Double.NaN));
    if (configured.lateWeight() > 0 && project.embedder().tokenSignatures()) for (double l : LATE_WEIGHTS) steps.add(new AdaptedEmbedder.TunedRetrieval(Double.NaN, Double.NaN, l));
    for (AdaptedEmbedder.TunedRetrieval step : steps) {
      AdaptedEmbedder.TunedRetrieval t = new AdaptedEmbedder.TunedRetrieval(Double.isNaN(step.bm25Weight()) ? held.bm25Weight() : step.bm25Weight(),
          Double.isNaN(step.denseWeight()) ? held.denseWeight() : step.denseWeight(), Double.isNaN(step.lateWeight()) ? held.lateWeight() : step.lateWeight());
      if (t.equals(held)) continue;
      double[] scores = gateNdcg(devQuestions, byQuestion, new AdaptedEmbedder(base, adapter, "candidate", t));
      if (PairedTest.mean(scores) > PairedTest.mean(heldScores) && PairedTest.pValue(scores, heldScores, RESAMPLES, 17) < ALPHA) {
        held = t;
        heldScores = scores;
      }
    }
    boolean moved = held.bm25Weight() != configured.bm25Weight() || held.denseWeight() != configured.denseWeight() || held.lateWeight() != configured.lateWeight();
    return new FusionChoice(moved ? held : null, start, PairedTest.mean(heldScores));
  }

  /** Per gate question: nDCG@10 of the project's configured retrieval, documents ranked by their best chunk. */
  private double[] gateNdcg(List<String> gate, Map<String, Set<String>> byQuestion, Embedder queries) {
    HybridRetriever r = new HybridRetriever(project.index(), queries, project.config().retrieval(),
        queries instanceof AdaptedEmbedder a ? a::optionsFor : null);
    double[] out = new double[gate.size()];
    for (int i = 0; i < gate.size(); i++) {
      List<ScoredChunk> hits = r.search(gate.get(i), 100, Filter.NONE).hits();
      Set<String> docs = new LinkedHashSet<>();
      for (ScoredChunk h : hits) docs.add(h.chunk().docId());
      Map<String, Integer> rel = new LinkedHashMap<>();
      for (String d : byQuestion.get(gate.get(i))) rel.put(d, 1);
      out[i] = RetrievalMetrics.ndcg(new ArrayList<>(docs), rel, 10);
    }
    return out;
  }


  /**
   * The gate: on the candidate's gate questions, the configured retrieval's nDCG@10 with it must beat
   * that with the adapter promoted now (or with none) by {@link #MARGIN}, paired p below {@link #ALPHA}.
   */
  Gate.Verdict gate(Version candidate, Optional<Version> current) {
    JsonNode c = read(candidate);
    Embedder base = project.embedder();
    String trainedFor = c.path("embedder").asText();
    if (!trainedFor.equals(base.name()) || c.path("dimension").asInt() != base.dimension()) {
      return new Gate.Verdict(false, "trained for embedder " + trainedFor + "; the project uses " + base.name() + ": train one for it", Map.of());
    }
    List<String> gate = new ArrayList<>();
    Map<String, Set<String>> byQuestion = new LinkedHashMap<>();
    Set<String> indexed = project.index().documents().keySet();
    for (JsonNode g : c.path("gate")) {
      Set<String> docs = new TreeSet<>();
      g.path("documents").forEach(d -> {
        if (indexed.contains(d.asText())) docs.add(d.asText());
      });
      if (docs.isEmpty()) continue; // its documents are no longer indexed
      gate.add(g.path("question").asText());
      byQuestion.put(g.path("question").asText(), docs);
    }
    if (gate.size() < 5) return new Gate.Verdict(false, "only " + gate.size() + " gate questions still have their documents in the index", Map.of());
    Embedder promoted = current.map(v -> (Embedder) embedder(base, read(v), v.id())).orElse(base);
    double[] before = gateNdcg(gate, byQuestion, promoted), after = gateNdcg(gate, byQuestion, embedder(base, c, candidate.id()));
    double p = PairedTest.pValue(after, before, RESAMPLES, 17);
    double rise = PairedTest.mean(after) - PairedTest.mean(before);
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("gate_ndcg@10", PairedTest.mean(after));
    metrics.put("baseline_ndcg@10", PairedTest.mean(before));
    metrics.put("p_value", p);
    metrics.put("n_gate", gate.size());
    boolean passed = rise >= MARGIN && p < ALPHA;
    String reason = String.format(Locale.ROOT, "gate nDCG@10 %.4f against %.4f %s on the same %d questions (%+.4f, needs +%.2f), paired p=%.3f (needs below %.2f)",
        PairedTest.mean(after), PairedTest.mean(before), current.map(v -> "with " + v.id()).orElse("without an adapter"), gate.size(), rise, MARGIN, p, ALPHA);
    Set<String> trainDocs = new java.util.HashSet<>();
    c.path("train_documents").forEach(d -> trainDocs.add(d.asText()));
    Unseen u = Unseen.of(gate, byQuestion, trainDocs, before, after);
    metrics.putAll(u.metrics());
    return new Gate.Verdict(passed && u.holds(), reason + "; " + u.describe(), metrics);
  }

  /**
   * The gate questions about documents no training question was about, before and after: they must
   * not lose more than {@link #UNSEEN_TOLERANCE} when there are at least {@link #MIN_UNSEEN} of them.
   */
  public record Unseen(int n, double before, double after) {
    static Unseen of(List<String> gate, Map<String, Set<String>> byQuestion, Set<String> trainDocs, double[] before, double[] after) {
      double b = 0, a = 0;
      int n = 0;
      for (int i = 0; i < gate.size(); i++) {
        if (byQuestion.get(gate.get(i)).stream().anyMatch(trainDocs::contains)) continue;
        n++;
        b += before[i];
        a += after[i];
      }
      return n == 0 ? new Unseen(0, 0, 0) : new Unseen(n, b / n, a / n);
    }

    public boolean checked() {
      return n >= MIN_UNSEEN;
    }

    public boolean holds() {
      return !checked() || after >= before - UNSEEN_TOLERANCE;
    }

    Map<String, Object> metrics() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("n_unseen", n);
      if (checked()) {
        m.put("unseen_ndcg@10_before", before);
        m.put("unseen_ndcg@10_after", after);
      }
      return m;
    }

    String describe() {
      if (!checked()) return n + " gate questions are about documents no training question was about (too few to check)";
      return String.format(Locale.ROOT, "on the %d about documents no training question was about %.4f against %.4f (%s)", n, after, before,
          holds() ? "holds" : "loses more than " + UNSEEN_TOLERANCE + ": train with --for new-documents, or add pairs about those documents");
    }
  }

  /** The promoted adapter, or empty when none is. */
  public Optional<AdaptedEmbedder> promoted(Embedder base) {
    return registry.promoted(VersionKind.RETRIEVAL_ADAPTER).map(v -> load(v, base, "run `groundwork versions rollback retrieval-adapter`"));
  }

  /**
   * The adapter {@code id} (pinned by {@code retrieval.adapter}), promoted or not.
   *
   * @throws ConfigException when it is not a retrieval adapter, or was trained for another embedder
   */
  public AdaptedEmbedder pinned(String id, Embedder base) {
    Version v;
    try {
      v = registry.get(id);
    } catch (dev.groundwork.app.NotFoundException e) {
      throw new ConfigException("retrieval.adapter: " + e.getMessage());
    }
    if (!v.kind().equals(VersionKind.RETRIEVAL_ADAPTER.label())) throw new ConfigException("retrieval.adapter: " + id + " is a " + v.kind() + " version");
    return load(v, base, "set retrieval.adapter to one trained for it");
  }

  private AdaptedEmbedder load(Version v, Embedder base, String advice) {
    JsonNode n = read(v);
    if (!n.path("embedder").asText().equals(base.name())) {
      throw new ConfigException("the retrieval adapter " + v.id() + " was trained for embedder " + n.path("embedder").asText() + ", but the project uses "
          + base.name() + "; " + advice);
    }
    return embedder(base, n, v.id());
  }

  /** The adapter stored in {@code n} over {@code base}, with the fusion settings tuned with it. */
  static AdaptedEmbedder embedder(Embedder base, JsonNode n, String id) {
    Embedder once = base instanceof OncePerQueryEmbedder ? base : new OncePerQueryEmbedder(base);
    return new AdaptedEmbedder(once, adapter(n, id), id, tuned(n));
  }

  /** The artifact's {@code retrieval} settings, or null when none were tuned (older versions, or a project not searching hybrid). */
  private static AdaptedEmbedder.TunedRetrieval tuned(JsonNode n) {
    JsonNode r = n.path("retrieval");
    if (!r.isObject()) return null;
    return new AdaptedEmbedder.TunedRetrieval(r.path("bm25_weight").asDouble(), r.path("dense_weight").asDouble(), r.path("late_weight").asDouble());
  }

  private static QueryAdapter adapter(JsonNode n, String id) {
    try {
      return QueryAdapter.fromBytes(Base64.getDecoder().decode(n.path("weights").asText()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("retrieval adapter " + id + ": " + e.getMessage());
    }
  }

  private JsonNode read(Version v) {
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(registry.artifact(v)));
      if (!FORMAT.equals(n.path("format").asText())) throw new ConfigException(registry.artifact(v) + ": not a " + FORMAT + " file");
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read retrieval adapter " + v.id() + ": " + e.getMessage(), e);
    }
  }
}
