package dev.groundwork.bench;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Citation;
import dev.groundwork.core.Document;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.answer.AskPipeline;
import dev.groundwork.core.ingest.IngestPipeline;
import dev.groundwork.core.ingest.IngestReport;
import dev.groundwork.core.metrics.RetrievalMetrics;
import dev.groundwork.core.spi.Filter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * End-to-end answer quality on SQuAD v1.1: ingest the paragraphs of N seeded-random articles, ask
 * questions about them (answerable) and about other articles (unanswerable, they must be refused).
 *
 * <ul>
 *   <li>containment: answerable questions whose answer text holds a gold answer (SQuAD-normalised);
 *   <li>citation accuracy: answered (not refused) answerable questions where a cited chunk holds a gold answer;
 *   <li>refusal rate / false-answer rate: shares of unanswerable questions refused / answered;
 *   <li>over-refusal: share of answerable questions refused;
 *   <li>hit@k: answerable questions where a retrieved chunk holds a gold answer.
 * </ul>
 * Questions are sampled with the seed, so a run is reproducible.
 */
public final class SquadBenchmark {
  /** The figures of one run. */
  public record Result(int articles, int paragraphs, int answerable, int unanswerable, double containment,
      double citationAccuracy, double refusalRate, double falseAnswerRate, double overRefusal, double hitAtK,
      int k, double p50Ms, double seconds, IngestReport ingest) {
    public int questions() {
      return answerable + unanswerable;
    }
  }

  private final List<SquadDataset.Article> articles;
  private final int n;
  private final long seed;
  private final int perArticle;
  private final int unanswerable;

  /**
   * @param n articles to ingest (1..articles-1; the rest supply unanswerable questions)
   * @param perArticle answerable questions sampled per ingested article
   * @param unanswerable questions sampled from the other articles
   */
  public SquadBenchmark(List<SquadDataset.Article> articles, int n, long seed, int perArticle, int unanswerable) {
    if (n < 1 || n >= articles.size()) throw new IllegalArgumentException("--articles must be in 1.." + (articles.size() - 1) + ", got " + n);
    if (perArticle < 1) throw new IllegalArgumentException("--per-article must be >= 1, got " + perArticle);
    if (unanswerable < 0) throw new IllegalArgumentException("--unanswerable must be >= 0, got " + unanswerable);
    this.articles = articles;
    this.n = n;
    this.seed = seed;
    this.perArticle = perArticle;
    this.unanswerable = unanswerable;
  }

  public Result run(IngestPipeline pipeline, AskPipeline ask, int k) {
    long t0 = System.nanoTime();
    List<SquadDataset.Article> shuffled = new ArrayList<>(articles);
    Random rnd = new Random(seed);
    Collections.shuffle(shuffled, rnd);
    List<SquadDataset.Article> in = shuffled.subList(0, n);
    List<SquadDataset.Article> out = shuffled.subList(n, shuffled.size());

    List<Document> docs = new ArrayList<>();
    for (SquadDataset.Article a : in) docs.addAll(a.paragraphs());
    IngestReport report = pipeline.ingestDocuments(docs.iterator(), docs.size());

    List<SquadDataset.Question> answerable = new ArrayList<>();
    for (SquadDataset.Article a : in) answerable.addAll(sample(answerable(a), perArticle, rnd));
    List<SquadDataset.Question> pool = new ArrayList<>();
    for (SquadDataset.Article a : out) pool.addAll(answerable(a));
    List<SquadDataset.Question> unanswerableQs = sample(pool, unanswerable, rnd);

    int contained = 0, answered = 0, citedRight = 0, overRefused = 0, hits = 0, refused = 0;
    List<Double> lat = new ArrayList<>();
    for (SquadDataset.Question q : answerable) {
      long s = System.nanoTime();
      Answer a = ask.ask(q.text(), k, Filter.NONE);
      lat.add((System.nanoTime() - s) / 1e6);
      if (a.retrieved().stream().anyMatch(h -> SquadDataset.contains(h.chunk().text(), q.answers()))) hits++;
      if (a.refused()) {
        overRefused++;
        continue;
      }
      answered++;
      if (SquadDataset.contains(a.text(), q.answers())) contained++;
      if (citesGold(a, q)) citedRight++;
    }
    for (SquadDataset.Question q : unanswerableQs) {
      long s = System.nanoTime();
      Answer a = ask.ask(q.text(), k, Filter.NONE);
      lat.add((System.nanoTime() - s) / 1e6);
      if (a.refused()) refused++;
    }
    int na = answerable.size();
    int nu = unanswerableQs.size();
    return new Result(n, docs.size(), na, nu, ratio(contained, na), ratio(citedRight, answered), ratio(refused, nu),
        ratio(nu - refused, nu), ratio(overRefused, na), ratio(hits, na), k, RetrievalMetrics.percentile(lat, 50),
        (System.nanoTime() - t0) / 1e9, report);
  }

  static boolean citesGold(Answer a, SquadDataset.Question q) {
    for (Citation c : a.citations()) {
      for (ScoredChunk h : a.retrieved()) {
        if (h.id().equals(c.chunkId()) && SquadDataset.contains(h.chunk().text(), q.answers())) return true;
      }
    }
    return false;
  }

  private static List<SquadDataset.Question> answerable(SquadDataset.Article a) {
    return a.questions().stream().filter(q -> !q.impossible()).toList();
  }

  static <T> List<T> sample(List<T> items, int n, Random rnd) {
    List<T> copy = new ArrayList<>(items);
    Collections.shuffle(copy, rnd);
    return copy.subList(0, Math.min(n, copy.size()));
  }

  static double ratio(int a, int b) {
    return b == 0 ? 0 : (double) a / b;
  }
}
