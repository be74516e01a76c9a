package dev.groundwork.advisor;

import dev.groundwork.eval.CaseResult;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.McNemar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code groundwork advise --try}: the first tries that are configuration changes, run as experiments
 * on the suite (through a {@link Runner} the application layer implements, on a copy of the
 * configuration), each compared case by case with the baseline run. A try is recommended only when it
 * raises the pass rate and newly fails no case tagged {@code critical}; of those, the one that fixes
 * the most cases.
 *
 * <p>The tries, from the decision matrix: {@code retrieval-miss}: k doubled (at least 8);
 * {@code long-documents}: k doubled (at least 8) and auto-merge at a quarter of a section's chunks;
 * {@code over-refusal}: a refusal threshold set above its default back to the default, or both halved
 * when neither is; with a language model, {@code format} (JSON checks failing): the format stated in the
 * prompt's rules, and {@code tone}: a few worked examples from a pool kept apart from the suite (the
 * project's {@code examples/} files, or answers rated up in the log), so the suite never leaks into the
 * prompt it measures.
 * Missing knowledge needs documents, and format, tone and hallucination need a language model's
 * prompt; those are named, not run.
 */
public final class Experiments {
  private Experiments() {}

  /**
   * The configuration values the tries start from, and the defaults they may return to.
   *
   * @param languageModel whether the answer model is a language model (the prompt tries need one)
   * @param rules the prompt's rules as they are now
   * @param examplesPool worked examples kept apart from the suite ({@code question}, {@code sources},
   *     {@code answer}), for a few-shot try
   */
  public record Knobs(int k, double autoMerge, double minAnswerability, double minEvidence, double defaultMinAnswerability, double defaultMinEvidence,
      boolean languageModel, String rules, List<Map<String, String>> examplesPool) {
    public Knobs(int k, double autoMerge, double minAnswerability, double minEvidence, double defaultMinAnswerability, double defaultMinEvidence) {
      this(k, autoMerge, minAnswerability, minEvidence, defaultMinAnswerability, defaultMinEvidence, false, null, List.of());
    }
  }

  /** The rule a JSON format try adds to the prompt's rules. */
  public static final String JSON_RULE = "Reply with JSON only: no prose around it and no code fences.";

  /** How many pool examples a few-shot try puts in the prompt. */
  static final int SHOTS = 3;

  /**
   * One try: the symptom it treats, what it changes (dotted groundwork.yaml keys), and the cases it
   * targets (those the symptom names).
   */
  public record Experiment(String symptom, String description, Map<String, Object> overrides, List<String> targets) {}

  /** Runs the baseline's suite with {@code overrides} applied to a copy of the configuration. */
  @FunctionalInterface
  public interface Runner {
    EvalRun run(Map<String, Object> overrides);
  }

  /**
   * What a try did against the baseline.
   *
   * @param fixed targeted cases that failed before and pass now
   * @param broken cases that passed before and fail now
   * @param mcnemarP the exact McNemar p-value of all cases' pass/fail changes
   */
  public record Result(Experiment experiment, String run, double passBefore, double passAfter, List<String> fixed, List<String> broken,
      List<String> criticalBroken, double mcnemarP, Double usdPerCaseBefore, Double usdPerCaseAfter, double msPerCaseBefore, double msPerCaseAfter,
      boolean recommended) {
    /** The share of the targeted cases this try fixed. */
    public double fixRate() {
      return experiment.targets().isEmpty() ? 0 : (double) fixed.size() / experiment.targets().size();
    }
  }

  /** The symptoms whose first try is not a configuration change, and why they are not run. */
  public static final Map<String, String> NOT_RUN = Map.of(
      "missing-knowledge", "needs the documents that answer it: add them and ingest",
      "format", "needs a language model's prompt (answer.model) and a JSON check; not tried on the extractive answerer",
      "tone", "needs a language model's prompt (answer.model) and worked examples (examples/*.yaml, or answers rated up in the log)",
      "hallucination", "needs a verifier model (answer.verifier)",
      "cost", "needs a cheaper model in a route: define one under routes:",
      "latency", "needs a faster model in a route: define one under routes:");

  /** The tries for the symptoms of {@code advice} that a configuration change can treat, strongest symptom first. */
  public static List<Experiment> propose(Advisor.Advice advice, Knobs k) {
    List<Experiment> out = new ArrayList<>();
    int moreK = Math.min(50, Math.max(8, 2 * k.k()));
    for (Advisor.Symptom s : advice.symptoms()) {
      switch (s.symptom()) {
        case "retrieval-miss" -> {
          if (moreK > k.k()) out.add(new Experiment(s.symptom(), "retrieval.k " + k.k() + " -> " + moreK, Map.of("retrieval.k", moreK), s.cases()));
        }
        case "long-documents" -> {
          Map<String, Object> o = new LinkedHashMap<>();
          if (moreK > k.k()) o.put("retrieval.k", moreK);
          o.put("retrieval.auto_merge", 0.25);
          out.add(new Experiment(s.symptom(), "retrieval.k " + k.k() + " -> " + moreK + ", retrieval.auto_merge " + k.autoMerge() + " -> 0.25", o, s.cases()));
        }
        case "over-refusal" -> {
          // a threshold set above its default goes back to it; when none is, both are halved
          boolean ansHigh = k.minAnswerability() > k.defaultMinAnswerability(), evHigh = k.minEvidence() > k.defaultMinEvidence();
          Map<String, Object> o = new LinkedHashMap<>();
          List<String> said = new ArrayList<>();
          if (ansHigh || !evHigh) {
            double ans = ansHigh ? k.defaultMinAnswerability() : k.minAnswerability() / 2;
            o.put("answer.min_answerability", ans);
            said.add("answer.min_answerability " + k.minAnswerability() + " -> " + ans);
          }
          if (evHigh || !ansHigh) {
            double ev = evHigh ? k.defaultMinEvidence() : k.minEvidence() / 2;
            o.put("answer.min_evidence", ev);
            said.add("answer.min_evidence " + k.minEvidence() + " -> " + ev);
          }
          out.add(new Experiment(s.symptom(), String.join(", ", said), o, s.cases()));
        }
        case "format" -> {
          // a language model can be told the format; the JSON checks say which
          if (k.languageModel() && (s.evidence().contains("is-json") || s.evidence().contains("json-schema"))) {
            out.add(new Experiment(s.symptom(), "prompts.rules + \"" + JSON_RULE + "\"", Map.of("prompts.rules", (k.rules() == null ? "" : k.rules() + "\n") + JSON_RULE),
                s.cases()));
          }
        }
        case "tone" -> {
          if (k.languageModel() && !k.examplesPool().isEmpty()) {
            List<Map<String, String>> shots = k.examplesPool().subList(0, Math.min(SHOTS, k.examplesPool().size()));
            out.add(new Experiment(s.symptom(), "prompts.examples: " + shots.size() + " worked examples from the pool (not from the suite)",
                Map.of("prompts.examples", shots), s.cases()));
          }
        }
        default -> { }
      }
    }
    return out;
  }

  /** Runs each try and marks the one to recommend, if any. */
  public static List<Result> run(List<Experiment> tries, EvalRun baseline, Runner runner) {
    Map<String, CaseResult> before = new HashMap<>();
    for (CaseResult c : baseline.cases()) before.put(c.id(), c);
    List<Result> out = new ArrayList<>();
    for (Experiment e : tries) {
      EvalRun after = runner.run(e.overrides());
      List<String> fixed = new ArrayList<>(), broken = new ArrayList<>(), critical = new ArrayList<>();
      int wins = 0, losses = 0;
      for (CaseResult c : after.cases()) {
        CaseResult b = before.get(c.id());
        if (b == null || b.passed() == c.passed()) continue;
        if (c.passed()) {
          wins++;
          if (e.targets().contains(c.id())) fixed.add(c.id());
        } else {
          losses++;
          broken.add(c.id());
          if (c.tags().contains("critical")) critical.add(c.id());
        }
      }
      out.add(new Result(e, after.id(), baseline.passRate(), after.passRate(), fixed, broken, critical, McNemar.exactP(wins, losses),
          usd(baseline), usd(after), ms(baseline), ms(after), false));
    }
    Result best = null;
    for (Result r : out) {
      if (r.passAfter() > r.passBefore() && r.criticalBroken().isEmpty()
          && (best == null || r.fixed().size() > best.fixed().size() || (r.fixed().size() == best.fixed().size() && r.passAfter() > best.passAfter()))) {
        best = r;
      }
    }
    List<Result> marked = new ArrayList<>();
    for (Result r : out) {
      marked.add(r != best ? r : new Result(r.experiment(), r.run(), r.passBefore(), r.passAfter(), r.fixed(), r.broken(), r.criticalBroken(), r.mcnemarP(),
          r.usdPerCaseBefore(), r.usdPerCaseAfter(), r.msPerCaseBefore(), r.msPerCaseAfter(), true));
    }
    return marked;
  }

  private static Double usd(EvalRun r) {
    OptionalDouble d = r.cases().stream().filter(c -> c.costUsd() != null).mapToDouble(CaseResult::costUsd).average();
    return d.isPresent() ? d.getAsDouble() : null;
  }

  private static double ms(EvalRun r) {
    return r.cases().stream().mapToLong(CaseResult::latencyMs).average().orElse(0);
  }
}
