package dev.groundwork.bench;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Document;
import dev.groundwork.core.answer.Answerability;
import dev.groundwork.core.answer.AskPipeline;
import dev.groundwork.core.answer.ExtractiveAnswerer;
import dev.groundwork.core.ingest.IngestPipeline;
import dev.groundwork.core.learn.LogisticRegression;
import dev.groundwork.core.metrics.RetrievalMetrics;
import dev.groundwork.core.spi.Filter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * SQuAD 2.0, where the unanswerable questions were written against the <em>same paragraph</em> to
 * look answerable. It ingests the paragraphs of a split of the articles and asks three kinds of
 * question: answerable ones, unanswerable ones about the ingested paragraphs (same-paragraph), and
 * questions about articles that were not ingested (off-topic).
 *
 * <p>The articles are split by article, never by question: sorted by title, shuffled with
 * {@link #SPLIT_SEED}, the first half is {@code tune} (where the answerability model and its
 * threshold are fitted) and the rest is {@code report} (where figures are reported and nothing is
 * chosen). Each answer records its answerability score; the benchmark answers with the check on
 * but never refusing for it, so that one pass gives the figures at every threshold: the
 * risk-coverage curve. The reported figures are those at the configured threshold.
 */
public final class SquadV2Benchmark {
  /** Fixed before any figure was seen; changing it changes which articles are held out. */
  public static final long SPLIT_SEED = 17;

  /** Which articles to ingest. */
  public enum Split { TUNE, REPORT, ALL }

  /** The figures at one abstention threshold. */
  public record Point(double threshold, double containment, double falseSameParagraph, double falseOffTopic, double overRefusal) {}

  /** The figures of one run, at the configured threshold, and the curve. */
  public record Result(List<String> articles, int paragraphs, int answerable, int unanswerable, int offTopic, int k, double threshold,
      double containment, double citationAccuracy, double overRefusal, double falseSameParagraph, double plausibleRate,
      double falseOffTopic, double hasAnsExact, double hasAnsF1, double noAnsAccuracy, double exact, double f1, List<Point> curve,
      boolean scored, double p50Ms, double seconds) {}

  /** A fitted answerability model, the threshold chosen with it, and how it was chosen. */
  public record Fit(LogisticRegression.Model model, double threshold, int rowCount, int answerableRows, double tuneContainment,
      double tuneFalseSameParagraph, List<String> articles, String description, List<String> tsvRows) {
    /** The training rows as TSV (article, question id, label, then the features), with a header line. */
    public String rowsTsv() {
      return "article\tid\tlabel\t" + String.join("\t", Answerability.FEATURES) + "\n" + String.join("\n", tsvRows) + "\n";
    }
  }

  private enum Kind { ANSWERABLE, SAME_PARAGRAPH, OFF_TOPIC }

  private record Outcome(Kind kind, SquadDataset.Question q, Answer a, boolean contains, boolean citesGold, String prediction) {
    Double score() {
      return a.verification() == null ? null : a.verification().score();
    }

    boolean answeredAt(double t) {
      return !a.refused() && (score() == null || score() >= t);
    }
  }

  private final List<SquadDataset.Article> ingested;
  private final List<SquadDataset.Article> others;
  private final long seed;
  private final int answerable;
  private final int unanswerable;
  private final int offTopic;

  /**
   * @param seed for sampling questions (not articles: the split is fixed)
   * @param answerable, unanswerable questions sampled from the ingested articles
   * @param offTopic questions sampled from the other articles (none when the split is {@code all})
   */
  public SquadV2Benchmark(List<SquadDataset.Article> articles, Split split, long seed, int answerable, int unanswerable, int offTopic) {
    if (answerable < 1) throw new IllegalArgumentException("--answerable must be >= 1, got " + answerable);
    if (unanswerable < 1) throw new IllegalArgumentException("--unanswerable must be >= 1, got " + unanswerable);
    if (offTopic < 0) throw new IllegalArgumentException("--off-topic must be >= 0, got " + offTopic);
    if (articles.size() < 2 && split != Split.ALL) {
      throw new IllegalArgumentException("--split " + split.name().toLowerCase() + " needs at least two articles; use --split all");
    }
    List<SquadDataset.Article> tune = tuneArticles(articles);
    this.ingested = switch (split) {
      case TUNE -> tune;
      case REPORT -> articles.stream().filter(a -> !tune.contains(a)).toList();
      case ALL -> articles;
    };
    this.others = articles.stream().filter(a -> !ingested.contains(a)).toList();
    this.seed = seed;
    this.answerable = answerable;
    this.unanswerable = unanswerable;
    this.offTopic = offTopic;
  }

  /** The tuning half: titles sorted, shuffled with {@link #SPLIT_SEED}, the first half (rounded down). */
  public static List<SquadDataset.Article> tuneArticles(List<SquadDataset.Article> articles) {
    List<SquadDataset.Article> sorted = new ArrayList<>(articles);
    sorted.sort(Comparator.comparing(SquadDataset.Article::title));
    Collections.shuffle(sorted, new Random(SPLIT_SEED));
    return List.copyOf(sorted.subList(0, Math.max(1, sorted.size() / 2)));
  }

  public List<String> ingestedTitles() {
    return ingested.stream().map(SquadDataset.Article::title).toList();
  }

  private int ingest(IngestPipeline pipeline) {
    List<Document> docs = new ArrayList<>();
    for (SquadDataset.Article a : ingested) docs.addAll(a.paragraphs());
    pipeline.ingestDocuments(docs.iterator(), docs.size());
    return docs.size();
  }

  /** Ingests, asks, and scores at {@code threshold} and along the curve. */
  public Result run(IngestPipeline pipeline, AskPipeline ask, int k, double threshold) {
    long t0 = System.nanoTime();
    int paragraphs = ingest(pipeline);
    Random rnd = new Random(seed);
    List<SquadDataset.Question> pos = new ArrayList<>(), neg = new ArrayList<>(), off = new ArrayList<>();
    for (SquadDataset.Article a : ingested) {
      for (SquadDataset.Question q : a.questions()) (q.impossible() ? neg : pos).add(q);
    }
    for (SquadDataset.Article a : others) off.addAll(a.questions());
    List<Outcome> outcomes = new ArrayList<>();
    List<Double> lat = new ArrayList<>();
    ask(ask, k, Kind.ANSWERABLE, SquadBenchmark.sample(pos, answerable, rnd), outcomes, lat);
    ask(ask, k, Kind.SAME_PARAGRAPH, SquadBenchmark.sample(neg, unanswerable, rnd), outcomes, lat);
    ask(ask, k, Kind.OFF_TOPIC, SquadBenchmark.sample(off, offTopic, rnd), outcomes, lat);
    boolean scored = outcomes.stream().anyMatch(o -> o.score() != null);
    List<Point> curve = new ArrayList<>();
    if (scored) for (int i = 0; i <= 20; i++) curve.add(point(outcomes, i / 20.0));

    List<Outcome> a = of(outcomes, Kind.ANSWERABLE), u = of(outcomes, Kind.SAME_PARAGRAPH), o = of(outcomes, Kind.OFF_TOPIC);
    Point at = point(outcomes, threshold);
    int answered = 0, cited = 0, exactA = 0;
    double f1A = 0;
    for (Outcome x : a) {
      if (!x.answeredAt(threshold)) continue;
      answered++;
      if (x.citesGold()) cited++;
      if (SquadDataset.exactMatch(x.prediction(), x.q().answers())) exactA++;
      f1A += SquadDataset.f1(x.prediction(), x.q().answers());
    }
    int plausible = 0, refusedU = 0;
    for (Outcome x : u) {
      if (!x.answeredAt(threshold)) {
        refusedU++;
      } else if (SquadDataset.contains(x.a().text(), x.q().plausible())) {
        plausible++;
      }
    }
    int n = a.size() + u.size();
    return new Result(ingestedTitles(), paragraphs, a.size(), u.size(), o.size(), k, threshold, at.containment(), SquadBenchmark.ratio(cited, answered),
        at.overRefusal(), at.falseSameParagraph(), SquadBenchmark.ratio(plausible, u.size()), at.falseOffTopic(),
        SquadBenchmark.ratio(exactA, a.size()), a.isEmpty() ? 0 : f1A / a.size(), SquadBenchmark.ratio(refusedU, u.size()),
        SquadBenchmark.ratio(exactA + refusedU, n), n == 0 ? 0 : (f1A + refusedU) / n, curve, scored,
        RetrievalMetrics.percentile(lat, 50), (System.nanoTime() - t0) / 1e9);
  }

  private static void ask(AskPipeline ask, int k, Kind kind, List<SquadDataset.Question> qs, List<Outcome> out, List<Double> lat) {
    for (SquadDataset.Question q : qs) {
      long s = System.nanoTime();
      Answer a = ask.ask(q.text(), k, Filter.NONE);
      lat.add((System.nanoTime() - s) / 1e6);
      boolean contains = !a.refused() && SquadDataset.contains(a.text(), q.answers());
      String prediction = a.refused() ? "" : a.text().replaceAll("\\s*\\[\\d+]", "").strip();
      out.add(new Outcome(kind, q, a, contains, !a.refused() && SquadBenchmark.citesGold(a, q), prediction));
    }
  }

  private static List<Outcome> of(List<Outcome> all, Kind kind) {
    return all.stream().filter(o -> o.kind() == kind).toList();
  }

  private static Point point(List<Outcome> outcomes, double t) {
    List<Outcome> a = of(outcomes, Kind.ANSWERABLE), u = of(outcomes, Kind.SAME_PARAGRAPH), o = of(outcomes, Kind.OFF_TOPIC);
    int contained = 0, refusedA = 0;
    for (Outcome x : a) {
      if (!x.answeredAt(t)) refusedA++;
      else if (x.contains()) contained++;
    }
    long falseU = u.stream().filter(x -> x.answeredAt(t)).count();
    long falseO = o.stream().filter(x -> x.answeredAt(t)).count();
    return new Point(t, SquadBenchmark.ratio(contained, a.size()), SquadBenchmark.ratio((int) falseU, u.size()),
        SquadBenchmark.ratio((int) falseO, o.size()), SquadBenchmark.ratio(refusedA, a.size()));
  }

  /**
   * Fits the answerability model on <em>every</em> question of the ingested articles (use the tune
   * split). A row is the answerer's best sentence for a question: label 1 for an answerable question
   * whose answer holds a gold answer, 0 for an unanswerable one; answerable questions whose answer
   * misses, and questions refused for weak evidence, are left out (the check never sees the latter,
   * and the former say nothing about answerability). The threshold is the highest that keeps at
   * least {@code keepShare} of the answers that hold a gold answer (today's containment on these
   * articles, times keepShare: the target allows containment to fall from 0.71 to 0.65, about 0.92).
   */
  public Fit fit(IngestPipeline pipeline, AskPipeline ask, ExtractiveAnswerer answerer, Answerability features, int k,
      double keepShare, double l2) {
    ingest(pipeline);
    List<double[]> x = new ArrayList<>();
    List<Boolean> y = new ArrayList<>();
    List<double[]> answerableRows = new ArrayList<>();
    int answerableTotal = 0, unanswerableRows = 0;
    List<double[]> unanswerableFeatures = new ArrayList<>();
    List<String> tsv = new ArrayList<>();
    for (SquadDataset.Article art : ingested) {
      for (SquadDataset.Question q : art.questions()) {
        if (!q.impossible()) answerableTotal++;
        Answer a = ask.ask(q.text(), k, Filter.NONE);
        if (a.refused()) continue; // refused for weak evidence: the check never runs
        Optional<ExtractiveAnswerer.Evidence> e = answerer.bestEvidence(q.text(), a.retrieved());
        if (e.isEmpty()) continue;
        double[] f = features.features(q.text(), e.get().sentence(), e.get().context(), e.get().passage());
        boolean contained = !q.impossible() && SquadDataset.contains(a.text(), q.answers());
        if (q.impossible() || contained) {
          StringBuilder line = new StringBuilder(art.title()).append('\t').append(q.id()).append('\t').append(contained ? 1 : 0);
          for (double v : f) line.append('\t').append(v);
          tsv.add(line.toString());
        }
        if (q.impossible()) {
          x.add(f);
          y.add(false);
          unanswerableRows++;
          unanswerableFeatures.add(f);
        } else if (contained) {
          x.add(f);
          y.add(true);
          answerableRows.add(f);
        }
      }
    }
    if (answerableRows.isEmpty() || unanswerableRows == 0) {
      throw new IllegalArgumentException("cannot fit on " + ingestedTitles() + ": it needs answered questions of both kinds, got "
          + answerableRows.size() + " answerable with the answer and " + unanswerableRows + " unanswerable (the others were refused for weak evidence)");
    }
    LogisticRegression.Model model = LogisticRegression.fit(Answerability.FEATURES, x, y, l2, 3000);
    long unanswerableTotal = ingested.stream().flatMap(a -> a.questions().stream()).filter(SquadDataset.Question::impossible).count();
    double chosen = 0, tuneContainment = 0, tuneFalse = 0;
    for (int i = 0; i <= 100; i++) {
      double t = i / 100.0;
      long kept = answerableRows.stream().filter(f -> model.probability(f) >= t).count();
      double containment = (double) kept / answerableTotal;
      if (kept < keepShare * answerableRows.size()) break;
      chosen = t;
      tuneContainment = containment;
      tuneFalse = (double) unanswerableFeatures.stream().filter(f -> model.probability(f) >= t).count() / unanswerableTotal;
    }
    String description = String.format(java.util.Locale.ROOT,
        "fitted by groundwork bench squad --fit-answerability on the SQuAD 2.0 tuning articles %s (split seed %d), k=%d,%n"
        + "%d rows (%d answerable with a gold answer in the answer, %d unanswerable), l2=%s;%n"
        + "threshold %.2f: the highest keeping %.2f of the contained answers (containment %.3f of %.3f there; same-paragraph false answers %.3f of %.3f)",
        ingestedTitles(), SPLIT_SEED, k, x.size(), answerableRows.size(), unanswerableRows, l2, chosen, keepShare, tuneContainment,
        (double) answerableRows.size() / answerableTotal, tuneFalse, (double) unanswerableRows / unanswerableTotal);
    return new Fit(model, chosen, x.size(), answerableRows.size(), tuneContainment, tuneFalse, ingestedTitles(), description, tsv);
  }
}
