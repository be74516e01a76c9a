package dev.groundwork.core.answer;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.Citation;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Usage;
import dev.groundwork.core.Verification;
import dev.groundwork.core.spi.Answerer;
import dev.groundwork.core.text.Sentences;
import dev.groundwork.core.text.Terms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The offline answerer: no language model, only sentences copied from the retrieved chunks.
 *
 * <p>Each question term gets an IDF weight (rare terms matter more; a term found nowhere in the
 * corpus weighs most, which is what makes off-topic questions fail). A sentence's <em>evidence</em>
 * is the weighted share of question terms found in the sentence (60%) and in its chunk's
 * title, headings and text (40%). A sentence's score adds a prior for the chunk's retrieval rank. The
 * answer is the best sentence plus up to {@code maxSentences - 1} others that score at least 60% of
 * it, best first, each followed by the {@code [n]} of its source; duplicates from overlapping chunks
 * are dropped. With a {@link SentenceScorer}, each score is also weighted by the sentence's semantic
 * similarity to the question, which finds paraphrased answers. When the best evidence is below
 * {@code minEvidence}, the answer says the documents do not contain the answer and cites nothing.
 * With an {@link Answerability} check, the best sentence must also cover what the question
 * specifically asks (its names, numbers, negation, answer type); below {@code minAnswerability} the
 * answer is a refusal that says what the evidence lacks. Thread-safe and deterministic.
 */
public final class ExtractiveAnswerer implements Answerer {
  public static final String NAME = "extractive";
  private static final dev.groundwork.core.Step STEP =
      new dev.groundwork.core.Step("answer", NAME, dev.groundwork.core.model.TokenUsage.ZERO, 0.0, 1);
  public static final String REFUSAL = "The documents do not contain an answer to this question.";

  private static final java.util.regex.Pattern WANTS_NUMBER = java.util.regex.Pattern.compile(
      "(?i)\\b(how (many|much|long|often|big|large|fast|old|far)|what (percentage|percent|port|version|year|date|time|size|limit|price)"
      + "|which (port|version|year)|when\\b|cost|price|limit|maximum|minimum|default)");
  private static final java.util.regex.Pattern ANSWER_TYPE = java.util.regex.Pattern.compile(
      "(?i)\\b(how|what|which)\\s+(long|big|large|far|old|often|much|many|size|format|range|kind|type|sort|number|amount)\\b");
  private static final java.util.regex.Pattern HAS_NUMBER = java.util.regex.Pattern.compile("\\d");

  private final ContextAssembler assembler;
  private final ToDoubleFunction<String> documentFrequency;
  private final double minEvidence;
  private final int maxSentences;
  private final SentenceScorer scorer;
  private final Answerability answerability;
  private final double minAnswerability;

  /**
   * @param documentFrequency fraction of indexed chunks holding a (surface) term, 0 when none
   * @param minEvidence the evidence (0..1) below which the answerer refuses
   */
  public ExtractiveAnswerer(ContextAssembler assembler, ToDoubleFunction<String> documentFrequency, double minEvidence, int maxSentences) {
    this(assembler, documentFrequency, minEvidence, maxSentences, null);
  }

  /**
   * @param scorer semantic similarity of question and sentences, or null for lexical scoring only;
   *     it reorders the candidates, while refusal stays decided by lexical evidence
   */
  public ExtractiveAnswerer(ContextAssembler assembler, ToDoubleFunction<String> documentFrequency, double minEvidence, int maxSentences,
      SentenceScorer scorer) {
    this(assembler, documentFrequency, minEvidence, maxSentences, scorer, null, 0);
  }

  /**
   * @param answerability the check that the best sentence covers the question's specifics, or null for none
   * @param minAnswerability the answerability score (0..1) below which the answerer refuses; 0 checks
   *     and records the score without ever refusing for it
   */
  public ExtractiveAnswerer(ContextAssembler assembler, ToDoubleFunction<String> documentFrequency, double minEvidence, int maxSentences,
      SentenceScorer scorer, Answerability answerability, double minAnswerability) {
    if (!(minAnswerability >= 0 && minAnswerability <= 1)) {
      throw new IllegalArgumentException("answer.min_answerability must be in 0..1, got " + minAnswerability);
    }
    this.answerability = answerability;
    this.minAnswerability = minAnswerability;
    this.scorer = scorer;
    this.assembler = Objects.requireNonNull(assembler);
    this.documentFrequency = Objects.requireNonNull(documentFrequency);
    if (!(minEvidence >= 0 && minEvidence <= 1)) throw new IllegalArgumentException("answer.min_evidence must be in 0..1, got " + minEvidence);
    if (maxSentences < 1) throw new IllegalArgumentException("answer.max_sentences must be >= 1, got " + maxSentences);
    this.minEvidence = minEvidence;
    this.maxSentences = maxSentences;
  }

  @Override
  public String name() {
    return NAME;
  }

  private record Candidate(int source, ScoredChunk hit, String text, int position, double evidence, double score) {}

  /**
   * The sentence the answer would quote first, with its passage and lexical evidence.
   *
   * @param context what the sentence sits under: its document's title and section headings
   */
  public record Evidence(String sentence, String context, String passage, double evidence) {}

  /** The best candidate sentence for {@code question} among {@code retrieved}, refused or not; empty when there is none. */
  public java.util.Optional<Evidence> bestEvidence(String question, List<ScoredChunk> retrieved) {
    List<Candidate> c = ranked(question, retrieved);
    return c.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(evidenceOf(c.get(0)));
  }

  private static Evidence evidenceOf(Candidate c) {
    Chunk ch = c.hit().chunk();
    StringBuilder context = new StringBuilder(ch.title());
    for (String h : ch.headingPath()) context.append('\n').append(h);
    return new Evidence(c.text(), context.toString().strip(), ch.contextualText(), c.evidence());
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved) {
    List<Candidate> candidates = ranked(question, retrieved);
    // refusal stays lexical: measured on the demo suite, semantic similarity did not separate
    // unanswerable questions from answerable ones (an off-topic question scored 0.83, a paraphrase 0.71)
    if (candidates.isEmpty() || candidates.get(0).evidence() < minEvidence) {
      double best = candidates.isEmpty() ? 0 : candidates.get(0).evidence();
      return new Answer(REFUSAL, List.of(), retrieved, NAME, Usage.NONE, 0.0, 0, true, best, List.of(STEP), null);
    }
    Candidate best = candidates.get(0);
    Verification verification = null;
    if (answerability != null) {
      Evidence e = evidenceOf(best);
      Answerability.Check check = answerability.check(question, e.sentence(), e.context(), e.passage());
      boolean passed = check.score() >= minAnswerability;
      verification = new Verification("answerability", check.score(), passed, passed ? "" : check.explanation());
      if (!passed) {
        return new Answer(REFUSAL + " " + check.explanation(), List.of(), retrieved, NAME, Usage.NONE, 0.0, 0, true, best.evidence(),
            List.of(STEP), null).withVerification(verification);
      }
    }
    List<Candidate> chosen = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Candidate c : candidates) {
      if (chosen.size() >= maxSentences) break;
      if (c.score() < 0.6 * best.score() || c.evidence() < minEvidence * 0.75) break;
      if (seen.add(c.text().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "))) chosen.add(c);
    }
    StringBuilder text = new StringBuilder();
    Map<Integer, Citation> citations = new LinkedHashMap<>();
    for (Candidate c : chosen) {
      if (!text.isEmpty()) text.append(' ');
      text.append(c.text()).append(" [").append(c.source()).append(']');
      Chunk ch = c.hit().chunk();
      citations.putIfAbsent(c.source(), new Citation(c.source(), ch.source(), ch.id(), ch.heading(), ch.page(), c.text()));
    }
    List<Citation> cites = new ArrayList<>(citations.values());
    cites.sort(Comparator.comparingInt(Citation::n));
    return new Answer(text.toString(), cites, retrieved, NAME, Usage.NONE, 0.0, 0, false, best.evidence(), List.of(STEP), null)
        .withVerification(verification);
  }

  private List<Candidate> ranked(String question, List<ScoredChunk> retrieved) {
    Map<String, Double> weights = weights(question);
    boolean wantsNumber = WANTS_NUMBER.matcher(question).find();
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    ContextAssembler.Context ctx = assembler.assemble(retrieved);
    List<Candidate> candidates = new ArrayList<>();
    if (total > 0) {
      for (ContextAssembler.Source s : ctx.sources()) candidates.addAll(candidates(s, weights, total, wantsNumber));
    }
    if (scorer != null && !candidates.isEmpty()) {
      candidates = rescore(candidates, scorer.similarity(question, candidates.stream().map(Candidate::text).toList()));
    }
    candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()
        .thenComparingInt(Candidate::source).thenComparingInt(Candidate::position));
    return candidates;
  }

  private List<Candidate> candidates(ContextAssembler.Source s, Map<String, Double> weights, double total, boolean wantsNumber) {
    Chunk chunk = s.hit().chunk();
    Set<String> chunkTerms = new HashSet<>(Terms.of(chunk.contextualText()));
    double chunkCover = cover(chunkTerms, weights) / total;
    double rankPrior = 1.0 / (1 + 0.15 * (s.n() - 1));
    List<Candidate> out = new ArrayList<>();
    List<Sentences.Span> spans = Sentences.split(chunk.text());
    for (int i = 0; i < spans.size(); i++) {
      String sentence = spans.get(i).of(chunk.text()).replaceAll("\\s+", " ").strip()
          .replaceFirst("^([-*•]|\\d{1,2}[.)])\\s+", ""); // a list item's marker is not part of the quote
      if (sentence.length() < 12 || sentence.length() > 800) continue;
      Set<String> terms = new HashSet<>(Terms.of(sentence));
      double sentCover = cover(terms, weights) / total;
      double evidence = 0.6 * sentCover + 0.4 * chunkCover;
      // a sentence that only repeats the question adds nothing: prefer ones that also say something new
      double novelty = Math.min(1.0, (double) countNew(terms, weights) / 4);
      double score = evidence * (0.85 + 0.15 * novelty) * (0.7 + 0.3 * rankPrior);
      // "how many / how long / what does it cost" asks for a quantity: prefer sentences that state one
      if (wantsNumber && HAS_NUMBER.matcher(sentence).find()) score *= 1.2;
      out.add(new Candidate(s.n(), s.hit(), sentence, i, evidence, score));
    }
    return out;
  }

  /**
   * Blends in semantic similarity: each score is multiplied by 0.5 + 0.5 * s, where s maps the
   * candidates' similarities linearly onto [0, 1] (the most similar sentence gets 1).
   */
  private List<Candidate> rescore(List<Candidate> candidates, double[] sim) {
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (double d : sim) {
      lo = Math.min(lo, d);
      hi = Math.max(hi, d);
    }
    List<Candidate> out = new ArrayList<>(candidates.size());
    for (int i = 0; i < sim.length; i++) {
      Candidate c = candidates.get(i);
      double s = hi > lo ? (sim[i] - lo) / (hi - lo) : 1;
      out.add(new Candidate(c.source(), c.hit(), c.text(), c.position(), c.evidence(), c.score() * (0.5 + 0.5 * s)));
    }
    return out;
  }


  private static double cover(Set<String> terms, Map<String, Double> weights) {
    double c = 0;
    for (Map.Entry<String, Double> e : weights.entrySet()) if (terms.contains(e.getKey())) c += e.getValue();
    return c;
  }

  private static int countNew(Set<String> terms, Map<String, Double> weights) {
    int n = 0;
    for (String t : terms) if (!weights.containsKey(t)) n++;
    return n;
  }

  /**
   * Question stem to IDF weight; a term absent from the index weighs as if it were in 0.2% of chunks.
   * Words that only name the kind of answer wanted ("how long", "what format", "which size") are not
   * content: the answer says "30 seconds", not "long".
   */
  private Map<String, Double> weights(String question) {
    Map<String, Double> w = new LinkedHashMap<>();
    List<String> surface = Terms.surface(ANSWER_TYPE.matcher(question).replaceAll("$1"));
    for (String word : surface) {
      double df = documentFrequency.applyAsDouble(word);
      double idf = Math.log(1 + 1 / Math.max(df, 0.002));
      w.merge(Terms.stem(word), idf, Math::max);
    }
    return w;
  }
}
