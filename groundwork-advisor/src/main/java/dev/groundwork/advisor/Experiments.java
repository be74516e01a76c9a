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
 * configuration), each compared case by case with the baseline run.
 *
 * <p>The tries, from the decision matrix: {@code retrieval-miss}: k doubled (at least 8), a
 * trained retrieval adapter that is not in use, and, with a language model, tool use (a search tool
 * the model may call with its own query);
 * {@code long-documents}: k doubled (at least 8) and auto-merge at a quarter of a section's chunks;
 * {@code over-refusal}: a refusal threshold set above its default back to the default, or both halved
 * when neither is; with a language model, {@code format} (JSON checks failing): the JSON Schema the
 * cases check (or, for plain JSON, the format) stated in the prompt's rules, and {@code tone}: the
 * house style guide, and a few worked examples, both from a pool kept apart from the suite (the
 * project's {@code examples/} folder, or answers rated up in the log), so the suite never leaks into the
 * prompt it measures; {@code cost} and {@code latency}: answering with each of the project's routes
 * instead, then with each route's cheapest model alone; {@code missing-knowledge}: a web search the user names.
 *
 * <p>A try is recommended when it raises the pass rate and newly fails no case tagged {@code critical}
 * (of those, the one that fixes the most cases); when none does, a cost or latency try that saves at
 * least {@link #MIN_SAVING} per case at the same pass rate. Missing knowledge without a web search
 * needs documents, and hallucination a verifier; those are named, not run.
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
   * @param styleGuide the house style guide kept beside the pool, for a style-guide try, or null
   * @param schema the JSON Schema the format cases check, for a schema-in-the-prompt try, or null
   * @param model the answer model now
   * @param cheaper model names to answer with instead, for cost and latency ({@code route:NAME}: a route of the project)
   * @param web the settings of a web search to try for missing knowledge (dotted keys), or empty
   * @param adapter a trained retrieval adapter that is not in use (its version id), for a retrieval-miss try, or null
   * @param searchTool whether the language model already has the search tool ({@code answer.tools: [search]})
   */
  public record Knobs(int k, double autoMerge, double minAnswerability, double minEvidence, double defaultMinAnswerability, double defaultMinEvidence,
      boolean languageModel, String rules, List<Map<String, String>> examplesPool, String styleGuide, String schema, String model, List<String> cheaper,
      Map<String, Object> web, String adapter, boolean searchTool) {
    public Knobs {
      examplesPool = List.copyOf(examplesPool);
      cheaper = List.copyOf(cheaper);
      web = Map.copyOf(web);
    }

    public Knobs(int k, double autoMerge, double minAnswerability, double minEvidence, double defaultMinAnswerability, double defaultMinEvidence,
        boolean languageModel, String rules, List<Map<String, String>> examplesPool) {
      this(k, autoMerge, minAnswerability, minEvidence, defaultMinAnswerability, defaultMinEvidence, languageModel, rules, examplesPool, null, null,
          null, List.of(), Map.of(), null, false);
    }

    public Knobs(int k, double autoMerge, double minAnswerability, double minEvidence, double defaultMinAnswerability, double defaultMinEvidence) {
      this(k, autoMerge, minAnswerability, minEvidence, defaultMinAnswerability, defaultMinEvidence, false, null, List.of());
    }

    /** These knobs with the prompt material for the style and schema tries. */
    public Knobs withPromptMaterial(String guide, String jsonSchema) {
      return new Knobs(k, autoMerge, minAnswerability, minEvidence, defaultMinAnswerability, defaultMinEvidence, languageModel, rules, examplesPool, guide,
          jsonSchema, model, cheaper, web, adapter, searchTool);
    }

    /** These knobs saying whether the language model has the search tool now. */
    public Knobs withSearchTool(boolean on) {
      return new Knobs(k, autoMerge, minAnswerability, minEvidence, defaultMinAnswerability, defaultMinEvidence, languageModel, rules, examplesPool,
          styleGuide, schema, model, cheaper, web, adapter, on);
    }

    /** These knobs with a trained retrieval adapter not in use ({@code id}, or null) to try for retrieval misses. */
    public Knobs withAdapter(String id) {
      return new Knobs(k, autoMerge, minAnswerability, minEvidence, defaultMinAnswerability, defaultMinEvidence, languageModel, rules, examplesPool,
          styleGuide, schema, model, cheaper, web, id, searchTool);
    }

    /** These knobs with what the cost, latency and missing-knowledge tries may switch to. */
    public Knobs withAlternatives(String answerModel, List<String> cheaperModels, Map<String, Object> webSearch) {
      return new Knobs(k, autoMerge, minAnswerability, minEvidence, defaultMinAnswerability, defaultMinEvidence, languageModel, rules, examplesPool,
          styleGuide, schema, answerModel, cheaperModels, webSearch, adapter, searchTool);
    }
  }

  /** The rule a JSON format try adds to the prompt's rules. */
  public static final String JSON_RULE = "Reply with JSON only: no prose around it and no code fences.";

  /** The key of an adapter try: applying it promotes that adapter version (through its own gate), not a configuration. */
  public static final String ADAPTER = "retrieval.adapter";

  /** The rule a schema try adds to the prompt's rules, before the schema itself. */
  public static final String SCHEMA_RULE = "Reply with one JSON value only (no prose around it, no code fences) that matches this JSON Schema:";

  /** A cost or latency try must lower the cost (or latency) per case by at least this share to be recommended. */
  public static final double MIN_SAVING = 0.10;

  /** The symptoms whose tries change what a query costs or how long it takes, not which cases pass. */
  static final java.util.Set<String> TRAFFIC = java.util.Set.of("cost", "latency");

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
      "missing-knowledge", "needs the documents that answer it: add them and ingest (or try a web search: advise --try --web-search URL)",
      "format", "needs a language model's prompt (answer.model) and a JSON check; not tried on the extractive answerer",
      "tone", "needs a language model's prompt (answer.model) and a style guide (examples/style.md) or worked examples "
          + "(examples/*.yaml, or answers rated up in the log)",
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
          if (k.adapter() != null) {
            out.add(new Experiment(s.symptom(), "retrieval.adapter: " + k.adapter() + " (trained, not in use)", Map.of(ADAPTER, k.adapter()), s.cases()));
          }
          if (k.languageModel() && !k.searchTool()) {
            // tool use: the model may search again, in its own words, when the sources it got miss the answer
            out.add(new Experiment(s.symptom(), "answer.tools: [search] (the model may search the documents again in its own words)",
                Map.of("answer.tools", List.of("search")), s.cases()));
          }
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
          String rules = k.rules() == null ? "" : k.rules() + "\n";
          if (k.languageModel() && k.schema() != null && s.evidence().contains("json-schema")) {
            out.add(new Experiment(s.symptom(), "prompts.rules + the JSON Schema the cases check", Map.of("prompts.rules", rules + "- " + SCHEMA_RULE + "\n"
                + k.schema().strip()), s.cases()));
          } else if (k.languageModel() && (s.evidence().contains("is-json") || s.evidence().contains("json-schema"))) {
            out.add(new Experiment(s.symptom(), "prompts.rules + \"" + JSON_RULE + "\"", Map.of("prompts.rules", rules + JSON_RULE), s.cases()));
          }
        }
        case "tone" -> {
          if (k.languageModel() && k.styleGuide() != null) {
            out.add(new Experiment(s.symptom(), "prompts.style: the house style guide (examples/style.md)", Map.of("prompts.style", k.styleGuide()),
                s.cases()));
          }
          if (k.languageModel() && !k.examplesPool().isEmpty()) {
            List<Map<String, String>> shots = k.examplesPool().subList(0, Math.min(SHOTS, k.examplesPool().size()));
            out.add(new Experiment(s.symptom(), "prompts.examples: " + shots.size() + " worked example" + (shots.size() == 1 ? "" : "s") + " from the pool (not from the suite)",
                Map.of("prompts.examples", shots), s.cases()));
          }
        }
        case "cost", "latency" -> {
          // the same switch treats both; it is tried once, for the stronger symptom
          for (String m : k.cheaper()) {
            if (m.equals(k.model()) || out.stream().anyMatch(e -> m.equals(e.overrides().get("answer.model")))) continue;
            out.add(new Experiment(s.symptom(), "answer.model " + k.model() + " -> " + m, Map.of("answer.model", m), List.of()));
          }
        }
        case "missing-knowledge" -> {
          if (!k.web().isEmpty()) {
            out.add(new Experiment(s.symptom(), "web search: " + k.web().get("web.search") + " at " + k.web().get("web.search_url"),
                new java.util.TreeMap<>(k.web()), s.cases()));
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
    // a try that makes the suite better, fixing the most; failing that, the one that saves the most without making it worse
    Result best = null;
    for (Result r : out) {
      if (r.passAfter() > r.passBefore() && r.criticalBroken().isEmpty()
          && (best == null || r.fixed().size() > best.fixed().size() || (r.fixed().size() == best.fixed().size() && r.passAfter() > best.passAfter()))) {
        best = r;
      }
    }
    if (best == null) {
      for (Result r : out) if (saves(r) && (best == null || saving(r) > saving(best))) best = r;
    }
    List<Result> marked = new ArrayList<>();
    for (Result r : out) {
      marked.add(r != best ? r : new Result(r.experiment(), r.run(), r.passBefore(), r.passAfter(), r.fixed(), r.broken(), r.criticalBroken(), r.mcnemarP(),
          r.usdPerCaseBefore(), r.usdPerCaseAfter(), r.msPerCaseBefore(), r.msPerCaseAfter(), true));
    }
    return marked;
  }

  /**
   * A cost or latency try is recommended when it lowers its measure per case by {@link #MIN_SAVING} or
   * more, newly fails no critical case, and keeps the pass rate (it may trade cases, but loses none on
   * balance).
   */
  static boolean saves(Result r) {
    if (!TRAFFIC.contains(r.experiment().symptom()) || !r.criticalBroken().isEmpty() || r.passAfter() < r.passBefore()) return false;
    return saving(r) >= MIN_SAVING;
  }

  /** The share of the cost (or, for latency, the time) per case that a try saved; 0 when unknown. */
  static double saving(Result r) {
    if (r.experiment().symptom().equals("latency")) return r.msPerCaseBefore() <= 0 ? 0 : 1 - r.msPerCaseAfter() / r.msPerCaseBefore();
    if (r.usdPerCaseBefore() == null || r.usdPerCaseAfter() == null || r.usdPerCaseBefore() <= 0) return 0;
    return 1 - r.usdPerCaseAfter() / r.usdPerCaseBefore();
  }

  private static Double usd(EvalRun r) {
    OptionalDouble d = r.cases().stream().filter(c -> c.costUsd() != null).mapToDouble(CaseResult::costUsd).average();
    return d.isPresent() ? d.getAsDouble() : null;
  }

  private static double ms(EvalRun r) {
    return r.cases().stream().mapToLong(CaseResult::latencyMs).average().orElse(0);
  }
}
