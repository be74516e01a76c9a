package dev.groundwork.advisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.eval.Assertion;
import dev.groundwork.eval.CaseResult;
import dev.groundwork.eval.EvalRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentsTest {
  static final Experiments.Knobs KNOBS = new Experiments.Knobs(1, 0.5, 0.95, 0.5, 0.27, 0.5);

  static Advisor.Symptom symptom(String name, String... cases) {
    return new Advisor.Symptom(name, 0.5, cases.length, List.of(cases), "", "", "", "");
  }

  static EvalRun run(String id, Map<String, Boolean> passed, List<String> critical) {
    List<CaseResult> cs = new ArrayList<>();
    passed.forEach((c, p) -> cs.add(new CaseResult(c, critical.contains(c) ? List.of("critical") : List.of(), "q", "a", false, p, p ? 1 : 0,
        List.of(new Assertion.Outcome("contains", p, p ? 1 : 0, 1, "")), null, null, null, 100, null, null, 1, p ? 1 : 0)));
    return new EvalRun(EvalRun.FORMAT, 1, id, "s", "2026-12-03T00:00:00Z", 1, 0.9, false, Map.of(), cs, null);
  }

  @Test
  void eachConfigurableSymptomGetsItsFirstTryAndTheOthersAreNamedNotRun() {
    Advisor.Advice a = new Advisor.Advice("r", 8, 6, List.of(symptom("missing-knowledge", "c1"), symptom("retrieval-miss", "c2"),
        symptom("long-documents", "c3"), symptom("over-refusal", "c4"), symptom("format", "c5")), List.of(), List.of());
    List<Experiments.Experiment> tries = Experiments.propose(a, KNOBS);
    assertThat(tries).extracting(Experiments.Experiment::symptom).containsExactly("retrieval-miss", "long-documents", "over-refusal");
    assertThat(tries.get(0).overrides()).isEqualTo(Map.of("retrieval.k", 8));
    assertThat(tries.get(1).overrides()).isEqualTo(Map.of("retrieval.k", 8, "retrieval.auto_merge", 0.25));
    // the threshold over its default goes back to it; the other stays
    assertThat(tries.get(2).overrides()).isEqualTo(Map.of("answer.min_answerability", 0.27));
    // neither over its default: both halved
    assertThat(Experiments.propose(new Advisor.Advice("r", 1, 1, List.of(symptom("over-refusal", "c1")), List.of(), List.of()),
        new Experiments.Knobs(8, 0.5, 0.27, 0.5, 0.27, 0.5)).get(0).overrides()).isEqualTo(Map.of("answer.min_answerability", 0.135, "answer.min_evidence", 0.25));
    assertThat(tries.get(2).targets()).containsExactly("c4");
    assertThat(Experiments.NOT_RUN).containsKeys("missing-knowledge", "format");
    // a trained adapter not in use is a second try for the misses
    List<Experiments.Experiment> withAdapter = Experiments.propose(new Advisor.Advice("r", 1, 1, List.of(symptom("retrieval-miss", "c1")), List.of(),
        List.of()), KNOBS.withAdapter("retrieval-adapter-20261203-170000-0a1b2c3d"));
    assertThat(withAdapter).extracting(Experiments.Experiment::overrides).containsExactly(Map.of("retrieval.k", 8),
        Map.of(Experiments.ADAPTER, "retrieval-adapter-20261203-170000-0a1b2c3d"));
    assertThat(withAdapter.get(1).targets()).containsExactly("c1");
    // with a language model, tool use: a search the model may call in its own words (not when it has it already)
    var lm = new Experiments.Knobs(8, 0.5, 0.27, 0.5, 0.27, 0.5, true, "x", List.of());
    Advisor.Advice miss = new Advisor.Advice("r", 1, 1, List.of(symptom("retrieval-miss", "c1")), List.of(), List.of());
    assertThat(Experiments.propose(miss, lm)).extracting(Experiments.Experiment::overrides).contains(Map.of("answer.tools", List.of("search")));
    assertThat(Experiments.propose(miss, lm.withSearchTool(true))).extracting(Experiments.Experiment::overrides)
        .doesNotContain(Map.of("answer.tools", List.of("search")));
    // k already at the cap: nothing to raise
    assertThat(Experiments.propose(new Advisor.Advice("r", 1, 1, List.of(symptom("retrieval-miss", "c1")), List.of(), List.of()),
        new Experiments.Knobs(50, 0.5, 0.27, 0.5, 0.27, 0.5))).isEmpty();
  }

  @Test
  void withALanguageModelFormatAndToneGetPromptTries() {
    Advisor.Symptom format = new Advisor.Symptom("format", 0.4, 2, List.of("j1", "j2"), "j1: failed is-json; j2: failed is-json", "", "", "");
    Advisor.Symptom regexOnly = new Advisor.Symptom("format", 0.2, 1, List.of("r1"), "r1: failed regex", "", "", "");
    Advisor.Symptom tone = symptom("tone", "t1");
    List<Map<String, String>> pool = List.of(Map.of("question", "a", "sources", "", "answer", "Hello! A."), Map.of("question", "b", "sources", "", "answer", "B"),
        Map.of("question", "c", "sources", "", "answer", "C"), Map.of("question", "d", "sources", "", "answer", "D"));
    var lm = new Experiments.Knobs(8, 0.5, 0.27, 0.5, 0.27, 0.5, true, "Cite sources.", pool);
    List<Experiments.Experiment> tries = Experiments.propose(new Advisor.Advice("r", 5, 3, List.of(format, tone), List.of(), List.of()), lm);
    assertThat(tries).extracting(Experiments.Experiment::symptom).containsExactly("format", "tone");
    assertThat(tries.get(0).overrides()).isEqualTo(Map.of("prompts.rules", "Cite sources.\n" + Experiments.JSON_RULE));
    assertThat((List<?>) tries.get(1).overrides().get("prompts.examples")).hasSize(3).isEqualTo(pool.subList(0, 3));
    // a regex rule cannot be stated for the model; the extractive answerer has no prompt; no pool, no few-shot
    assertThat(Experiments.propose(new Advisor.Advice("r", 5, 1, List.of(regexOnly), List.of(), List.of()), lm)).isEmpty();
    assertThat(Experiments.propose(new Advisor.Advice("r", 5, 3, List.of(format, tone), List.of(), List.of()), KNOBS)).isEmpty();
    assertThat(Experiments.propose(new Advisor.Advice("r", 5, 1, List.of(tone), List.of(), List.of()),
        new Experiments.Knobs(8, 0.5, 0.27, 0.5, 0.27, 0.5, true, "x", List.of()))).isEmpty();
  }

  @Test
  void theTryThatFixesMostWithoutBreakingACriticalCaseIsRecommended() {
    EvalRun baseline = run("base", Map.of("c1", false, "c2", false, "c3", true, "c4", true), List.of("c4"));
    List<Experiments.Experiment> tries = List.of(
        new Experiments.Experiment("retrieval-miss", "k up", Map.of("retrieval.k", 8), List.of("c1", "c2")),
        new Experiments.Experiment("over-refusal", "thresholds down", Map.of("answer.min_evidence", 0.25), List.of("c1", "c2")),
        new Experiments.Experiment("long-documents", "merge", Map.of("retrieval.auto_merge", 0.25), List.of("c1")));
    Map<Object, EvalRun> after = Map.of(
        8, run("k", Map.of("c1", true, "c2", false, "c3", true, "c4", true), List.of("c4")),
        0.25, run("t", Map.of("c1", true, "c2", true, "c3", true, "c4", false), List.of("c4")));
    List<Experiments.Result> rs = Experiments.run(tries, baseline, o -> o.containsKey("retrieval.auto_merge")
        ? run("m", Map.of("c1", false, "c2", false, "c3", false, "c4", true), List.of("c4")) : after.get(o.values().iterator().next()));
    assertThat(rs.get(0).fixed()).containsExactly("c1");
    assertThat(rs.get(0).fixRate()).isEqualTo(0.5);
    assertThat(rs.get(0).recommended()).isTrue();
    // fixes two but newly fails the critical c4: never recommended
    assertThat(rs.get(1).fixed()).containsExactlyInAnyOrder("c1", "c2");
    assertThat(rs.get(1).criticalBroken()).containsExactly("c4");
    assertThat(rs.get(1).recommended()).isFalse();
    // makes things worse
    assertThat(rs.get(2).broken()).containsExactly("c3");
    assertThat(rs.get(2).passAfter()).isLessThan(rs.get(2).passBefore());
    assertThat(rs.get(2).recommended()).isFalse();
    assertThat(rs.get(0).mcnemarP()).isEqualTo(1.0);
  }

  @Test
  void theSchemaTheStyleGuideTheRoutesAndAWebSearchAreTriedWhereTheyApply() {
    Advisor.Symptom schema = new Advisor.Symptom("format", 0.4, 2, List.of("j1", "j2"), "j1: failed json-schema", "", "", "");
    var knobs = new Experiments.Knobs(8, 0.5, 0.27, 0.5, 0.27, 0.5, true, "Cite sources.", List.of())
        .withPromptMaterial("Open with Hello!", "{\"type\": \"object\"}")
        .withAlternatives("openai:gpt-4.1", List.of("route:fast", "route:cheap"), Map.of("web.search", "searxng", "web.search_url", "http://127.0.0.1:9"));
    List<Experiments.Experiment> tries = Experiments.propose(new Advisor.Advice("r", 9, 5, List.of(schema, symptom("tone", "t1"), symptom("cost"),
        symptom("latency"), symptom("missing-knowledge", "m1")), List.of(), List.of()), knobs);
    assertThat(tries).extracting(Experiments.Experiment::symptom).containsExactly("format", "tone", "cost", "cost", "missing-knowledge");
    assertThat((String) tries.get(0).overrides().get("prompts.rules")).startsWith("Cite sources.\n- " + Experiments.SCHEMA_RULE).endsWith("{\"type\": \"object\"}");
    assertThat(tries.get(1).overrides()).isEqualTo(Map.of("prompts.style", "Open with Hello!"));
    // each route once, for the stronger of cost and latency; the traffic symptoms target no case
    assertThat(tries.get(2).overrides()).isEqualTo(Map.of("answer.model", "route:fast"));
    assertThat(tries.get(3).overrides()).isEqualTo(Map.of("answer.model", "route:cheap"));
    assertThat(tries.get(2).targets()).isEmpty();
    assertThat(tries.get(4).overrides()).containsEntry("web.search_url", "http://127.0.0.1:9");
    assertThat(tries.get(4).targets()).containsExactly("m1");
    // a route that is already the answer model is not tried; nothing to switch to, nothing tried
    assertThat(Experiments.propose(new Advisor.Advice("r", 1, 0, List.of(symptom("latency")), List.of(), List.of()),
        knobs.withAlternatives("route:fast", List.of("route:fast"), Map.of()))).isEmpty();
    assertThat(Experiments.propose(new Advisor.Advice("r", 1, 1, List.of(symptom("missing-knowledge", "m1")), List.of(), List.of()), KNOBS)).isEmpty();
  }

  @Test
  void aCostTryIsRecommendedOnlyWhenItSavesAtTheSamePassRateAndAFixWinsOverASaving() {
    var cost = new Experiments.Experiment("cost", "route", Map.of("answer.model", "route:fast"), List.of());
    var fix = new Experiments.Experiment("retrieval-miss", "k", Map.of("retrieval.k", 8), List.of("c1"));
    // 20% cheaper at the same pass rate
    assertThat(Experiments.saves(result(cost, 0.8, 0.8, List.of(), 1e-4, 0.8e-4, 100, 100))).isTrue();
    // 5% cheaper: not worth a switch
    assertThat(Experiments.saves(result(cost, 0.8, 0.8, List.of(), 1e-4, 0.95e-4, 100, 100))).isFalse();
    // cheaper but worse, or breaking a critical case
    assertThat(Experiments.saves(result(cost, 0.8, 0.7, List.of(), 1e-4, 0.5e-4, 100, 100))).isFalse();
    assertThat(Experiments.saves(result(cost, 0.8, 0.8, List.of("c4"), 1e-4, 0.5e-4, 100, 100))).isFalse();
    // cost unknown: no saving shown
    assertThat(Experiments.saves(result(cost, 0.8, 0.8, List.of(), null, null, 100, 100))).isFalse();
    // latency is measured in time per case
    var latency = new Experiments.Experiment("latency", "route", Map.of("answer.model", "route:fast"), List.of());
    assertThat(Experiments.saves(result(latency, 0.8, 0.8, List.of(), null, null, 100, 50))).isTrue();
    // a quality fix is never a saving
    assertThat(Experiments.saves(result(fix, 0.8, 0.9, List.of(), 1e-4, 0.5e-4, 100, 50))).isFalse();

    // run(): the fix wins when there is one; the saving otherwise
    EvalRun baseline = run("base", Map.of("c1", false, "c2", true), List.of());
    List<Experiments.Result> both = Experiments.run(List.of(cost, fix), baseline,
        o -> o.containsKey("retrieval.k") ? run("k", Map.of("c1", true, "c2", true), List.of()) : run("r", Map.of("c1", false, "c2", true), List.of()));
    assertThat(both.get(1).recommended()).isTrue();
    assertThat(both.get(0).recommended()).isFalse();
  }

  private static Experiments.Result result(Experiments.Experiment e, double before, double after, List<String> critical, Double usdBefore, Double usdAfter,
      double msBefore, double msAfter) {
    return new Experiments.Result(e, "r", before, after, List.of(), critical, critical, 1, usdBefore, usdAfter, msBefore, msAfter, false);
  }
}
