package dev.groundwork.advisor;

import dev.groundwork.core.log.QueryLog;
import dev.groundwork.eval.Assertion;
import dev.groundwork.eval.CaseResult;
import dev.groundwork.eval.EvalRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the evidence (an eval run's failed cases, the logged traffic, the corpus, the settings) and
 * names the symptoms of the decision matrix, strongest first. Every detector is a rule that can be
 * explained in one sentence, and each failed case gets one cause:
 *
 * <ol>
 *   <li>{@code format}: a failed {@code is-json}, {@code json-schema}, {@code regex}, {@code equals}
 *       or {@code max-length} on a case not tagged style or tone;
 *   <li>{@code tone}: any failed assertion on a case tagged {@code style} or {@code tone};
 *   <li>{@code hallucination}: a failed {@code grounded} check (cited sentences not supported);
 *   <li>{@code missing-knowledge}: the expected answer is in no document, or the question asks about
 *       recent events (the current or a later year, "latest", "today") and was refused;
 *   <li>{@code long-documents}: the answer is in a document with at least {@value #LONG_FACTOR} times
 *       the median number of chunks (and {@value #LONG_MIN_CHUNKS} or more), and the case failed;
 *   <li>{@code retrieval-miss}: the answer is in the corpus but its expected source was not retrieved;
 *   <li>{@code over-refusal}: refused although the answer is in the corpus and its source was retrieved.
 * </ol>
 *
 * <p>A case failing for none of these is counted as unexplained. Two symptoms come from the traffic
 * rather than the suite: {@code cost} (the month's spend, projected from the logged cost per query and
 * the last 30 days' volume, over {@code budgets.month_usd}; its share is the part of the spend above
 * the budget) and {@code latency} (logged p95 over the target; its share is the part of the queries
 * over it). The thresholds are conventions stated here, not fitted to the scenarios.
 */
public final class Advisor {
  /** A document counts as long with this many times the median chunks per document. */
  public static final int LONG_FACTOR = 4;

  /** ... and at least this many chunks. */
  public static final int LONG_MIN_CHUNKS = 6;

  static final Set<String> FORMAT_TYPES = Set.of("is-json", "json-schema", "regex", "equals", "max-length");
  static final Set<String> STYLE_TAGS = Set.of("style", "tone");
  private static final Pattern RECENT = Pattern.compile("\\b(latest|newest|today|this (week|month|year)|currently|recent(ly)?)\\b");
  private static final Pattern YEAR = Pattern.compile("\\b(20[0-9]{2})\\b");

  /** What the advisor reads; the application layer supplies it. */
  public interface Evidence {
    /** The eval run to read, or null when there is none. */
    EvalRun run();

    /** What the suite says about a case: its expected answer texts, expected sources and tags; null when unknown. */
    CaseFacts facts(String caseId);

    /** Whether any indexed chunk contains {@code text} (case and spacing ignored). */
    boolean corpusContains(String text);

    /** The number of chunks of the document {@code source} (0 when unknown). */
    int chunks(String source);

    /** The median number of chunks per document. */
    double medianChunks();

    /** Logged answers of the last 30 days. */
    List<QueryLog.Entry> traffic();

    Settings settings();
  }

  /** @param answers texts that a right answer contains (the case's {@code expected}, its {@code contains} values) */
  public record CaseFacts(List<String> answers, List<String> sources, List<String> tags) {}

  /**
   * @param monthBudgetUsd {@code budgets.month_usd}, or null when none is set
   * @param p95TargetMs the latency the answers should stay under at p95
   * @param now the current time (for the 30 days of traffic and for "recent")
   */
  public record Settings(Double monthBudgetUsd, long p95TargetMs, Instant now) {}

  /**
   * One symptom, as {@code groundwork advise --json} prints it.
   *
   * @param share of the run's cases (or, for cost and latency, of the spend or the queries)
   */
  public record Symptom(String symptom, double share, int count, List<String> cases, String evidence, String firstTry, String fallback,
      String command) {}

  /**
   * @param run the eval run read, or null
   * @param unexplained failed cases no detector claimed
   * @param notes advice that is not a symptom ("don't fine-tune for facts")
   */
  public record Advice(String run, int cases, int failed, List<Symptom> symptoms, List<String> unexplained, List<String> notes) {
    /** The strongest symptom's name, or null when there is none. */
    public String primary() {
      return symptoms.isEmpty() ? null : symptoms.get(0).symptom();
    }
  }

  private Advisor() {}

  public static Advice advise(Evidence ev) {
    EvalRun run = ev.run();
    Map<String, List<String>> cases = new LinkedHashMap<>();
    Map<String, List<String>> evidence = new LinkedHashMap<>();
    List<String> unexplained = new ArrayList<>();
    int failed = 0;
    int total = run == null ? 0 : run.cases().size();
    if (run != null) {
      for (CaseResult c : run.cases()) {
        if (c.passed()) continue;
        failed++;
        String[] cause = cause(c, ev);
        if (cause == null) {
          unexplained.add(c.id());
          continue;
        }
        cases.computeIfAbsent(cause[0], k -> new ArrayList<>()).add(c.id());
        evidence.computeIfAbsent(cause[0], k -> new ArrayList<>()).add(c.id() + ": " + cause[1]);
      }
    }
    List<Symptom> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : cases.entrySet()) {
      Matrix m = Matrix.of(e.getKey());
      List<String> ev3 = evidence.get(e.getKey()).subList(0, Math.min(3, evidence.get(e.getKey()).size()));
      out.add(new Symptom(e.getKey(), (double) e.getValue().size() / total, e.getValue().size(), List.copyOf(e.getValue()), String.join("; ", ev3),
          m.firstTry(), m.fallback(), m.command()));
    }
    traffic(ev, out);
    out.sort(Comparator.comparingDouble(Symptom::share).reversed().thenComparing(Symptom::symptom));
    List<String> notes = new ArrayList<>();
    int knowledge = cases.getOrDefault("missing-knowledge", List.of()).size() + cases.getOrDefault("retrieval-miss", List.of()).size();
    if (failed > 0 && knowledge * 2 > failed) {
      notes.add("don't fine-tune for facts: " + knowledge + " of " + failed + " failures are about knowledge (missing or not retrieved); "
          + "fine-tuning teaches behaviour, not facts - fix the documents and the retrieval");
    }
    if (run == null) notes.add("no eval run to read: run `groundwork eval` first for the suite's symptoms");
    return new Advice(run == null ? null : run.id(), total, failed, out, unexplained, notes);
  }

  /** The symptom a failed case shows and the evidence for it, or null. */
  static String[] cause(CaseResult c, Evidence ev) {
    CaseFacts f = ev.facts(c.id());
    boolean styled = c.tags().stream().anyMatch(STYLE_TAGS::contains) || (f != null && f.tags().stream().anyMatch(STYLE_TAGS::contains));
    List<Assertion.Outcome> failedChecks = c.outcomes().stream().filter(o -> !o.passed()).toList();
    if (styled && !failedChecks.isEmpty()) return new String[] {"tone", "tagged style, failed " + types(failedChecks)};
    List<Assertion.Outcome> format = failedChecks.stream().filter(o -> FORMAT_TYPES.contains(o.type())).toList();
    if (!format.isEmpty()) return new String[] {"format", "failed " + types(format)};
    if (failedChecks.stream().anyMatch(o -> o.type().equals("grounded"))) return new String[] {"hallucination", "cited sentences not supported by their sources"};
    List<String> answers = f == null ? List.of() : f.answers();
    boolean inCorpus = answers.stream().anyMatch(ev::corpusContains);
    if (!answers.isEmpty() && !inCorpus) return new String[] {"missing-knowledge", "\"" + answers.get(0) + "\" is in no document"};
    if (c.refused() && recent(c.question(), ev.settings().now())) return new String[] {"missing-knowledge", "refused a question about recent events"};
    if (answers.isEmpty()) return null; // without the expected answer the rest cannot be told apart
    List<String> sources = f.sources();
    String longest = null;
    for (String s : sources) if (long_(ev, s) && (longest == null || ev.chunks(s) > ev.chunks(longest))) longest = s;
    boolean retrieved = c.recall() == null || c.recall() > 0;
    if (longest != null) {
      return new String[] {"long-documents", longest + " has " + ev.chunks(longest) + " chunks (median " + fmt(ev.medianChunks()) + ")"
          + (retrieved ? ", retrieved but the answer was not in the retrieved part" : ", not retrieved")};
    }
    if (!retrieved) return new String[] {"retrieval-miss", "\"" + answers.get(0) + "\" is in " + String.join(", ", sources) + ", which was not retrieved"};
    if (c.refused()) return new String[] {"over-refusal", "refused, although \"" + answers.get(0) + "\" is in the retrieved " + String.join(", ", sources)};
    return null;
  }

  private static boolean long_(Evidence ev, String source) {
    int n = ev.chunks(source);
    return n >= LONG_MIN_CHUNKS && n >= LONG_FACTOR * ev.medianChunks();
  }

  static boolean recent(String question, Instant now) {
    String q = question.toLowerCase(Locale.ROOT);
    if (RECENT.matcher(q).find()) return true;
    var m = YEAR.matcher(q);
    int year = now.atZone(java.time.ZoneOffset.UTC).getYear();
    while (m.find()) if (Integer.parseInt(m.group(1)) >= year) return true;
    return false;
  }

  /** Adds cost and latency from the last 30 days of logged traffic. */
  static void traffic(Evidence ev, List<Symptom> out) {
    Settings s = ev.settings();
    Instant from = s.now().minus(Duration.ofDays(30));
    List<QueryLog.Entry> t = ev.traffic().stream().filter(e -> !e.time().isBefore(from) && e.error() == null).toList();
    if (t.isEmpty()) return;
    List<Double> costs = t.stream().map(QueryLog.Entry::costUsd).filter(java.util.Objects::nonNull).toList();
    if (s.monthBudgetUsd() != null && !costs.isEmpty()) {
      double perQuery = costs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double projected = perQuery * t.size();
      if (projected > s.monthBudgetUsd()) {
        Matrix m = Matrix.of("cost");
        out.add(new Symptom("cost", 1 - s.monthBudgetUsd() / projected, t.size(), List.of(), String.format(Locale.ROOT,
            "$%.4f per query x %d queries in 30 days = $%.2f a month, over the $%.2f budget", perQuery, t.size(), projected, s.monthBudgetUsd()),
            m.firstTry(), m.fallback(), m.command()));
      }
    }
    List<Long> lat = t.stream().map(QueryLog.Entry::latencyMs).sorted().toList();
    long p95 = lat.get((int) Math.ceil(0.95 * lat.size()) - 1);
    if (p95 > s.p95TargetMs()) {
      long over = lat.stream().filter(x -> x > s.p95TargetMs()).count();
      Matrix m = Matrix.of("latency");
      out.add(new Symptom("latency", (double) over / lat.size(), (int) over, List.of(), String.format(Locale.ROOT,
          "p95 %d ms over the %d ms target (%d of %d queries slower)", p95, s.p95TargetMs(), over, lat.size()), m.firstTry(), m.fallback(), m.command()));
    }
  }

  private static String types(List<Assertion.Outcome> os) {
    return String.join(", ", os.stream().map(Assertion.Outcome::type).distinct().toList());
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.1f", d);
  }

  /** The decision matrix: each symptom's first try, its fallback, and the command that starts it. */
  record Matrix(String firstTry, String fallback, String command) {
    static Matrix of(String symptom) {
      return switch (symptom) {
        case "hallucination" -> new Matrix("check answers against their sources: set answer.verifier and min_verification, and cite in the prompt",
            "fine-tune on grounded, cited answers", "groundwork eval --judge MODEL   # then set answer.verifier in groundwork.yaml");
        case "retrieval-miss" -> new Matrix("retrieve more, hybrid: raise retrieval.k (or candidates) and check the fusion",
            "train a retrieval adapter on your own questions (groundwork tune retrieval)", "groundwork advise --try");
        case "missing-knowledge" -> new Matrix("add the documents that answer it (or a web source for recent facts); don't fine-tune for facts",
            "a live web source (web: in groundwork.yaml)", "groundwork ingest PATH...");
        case "format" -> new Matrix("put the format in the prompt and validate it: --schema (JSON Schema) with a language model",
            "fine-tune on examples in the format", "groundwork ask --model PROVIDER:MODEL --schema schema.json \"...\"");
        case "tone" -> new Matrix("a style guide and a few examples in the prompt (prompts.style, prompts.examples), kept apart from the suite",
            "fine-tune on answers in the house style", "groundwork advise --try   # with examples/style.md and examples/*.yaml");
        case "long-documents" -> new Matrix("hierarchical chunks merged back into their section: lower retrieval.auto_merge (0.25: a quarter of its chunks retrieved) and raise k",
            "larger sections: raise chunking.parent_max_tokens and re-ingest; or a language model that reads the whole section", "groundwork advise --try");
        case "over-refusal" -> new Matrix("lower the refusal thresholds (answer.min_answerability, answer.min_evidence) and re-run the suite",
            "fit the answerability model on your own questions", "groundwork advise --try");
        case "cost" -> new Matrix("a cheaper model with RAG first, escalating hard questions: a route (routes: in groundwork.yaml)",
            "a learned router, or distil the strong model into a small one", "groundwork advise --try   # tries each route in groundwork.yaml");
        case "latency" -> new Matrix("a faster model first (a route), and stream the answer", "cache answers, or fewer chunks in the prompt",
            "groundwork advise --try --p95-ms MS   # tries each route in groundwork.yaml");
        default -> throw new IllegalArgumentException("no such symptom: " + symptom);
      };
    }
  }
}
