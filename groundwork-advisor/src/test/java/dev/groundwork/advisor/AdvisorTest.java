package dev.groundwork.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.log.QueryLog;
import dev.groundwork.eval.Assertion;
import dev.groundwork.eval.CaseResult;
import dev.groundwork.eval.EvalRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdvisorTest {
  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  /** Evidence held in memory: what a project would answer, written out per case. */
  static final class Facts implements Advisor.Evidence {
    final List<CaseResult> results = new ArrayList<>();
    final Map<String, Advisor.CaseFacts> facts = new HashMap<>();
    final List<String> corpus = new ArrayList<>();
    final Map<String, Integer> chunks = new HashMap<>();
    final List<QueryLog.Entry> traffic = new ArrayList<>();
    Double budget;

    Facts add(String id, boolean passed, boolean refused, Double recall, List<String> tags, List<String> answers, List<String> sources, String... failedTypes) {
      List<Assertion.Outcome> os = new ArrayList<>();
      os.add(new Assertion.Outcome("contains", passed || failedTypes.length > 0, 1, 1, ""));
      for (String t : failedTypes) os.add(new Assertion.Outcome(t, false, 0, 1, "failed"));
      results.add(new CaseResult(id, tags, "What is " + id + "?", "answer", refused, passed, passed ? 1 : 0, os, recall, null, null, 10, 0.0, null, 1,
          passed ? 1 : 0));
      facts.put(id, new Advisor.CaseFacts(answers, sources, tags));
      return this;
    }

    public EvalRun run() {
      return new EvalRun(EvalRun.FORMAT, 1, "run-1", "s", NOW.toString(), 1, 1, false, Map.of(), results, null);
    }

    public Advisor.CaseFacts facts(String id) {
      return facts.get(id);
    }

    public boolean corpusContains(String text) {
      return corpus.stream().anyMatch(c -> c.toLowerCase().contains(text.toLowerCase()));
    }

    public int chunks(String source) {
      return chunks.getOrDefault(source, 0);
    }

    public double medianChunks() {
      return 2;
    }

    public List<QueryLog.Entry> traffic() {
      return traffic;
    }

    public Advisor.Settings settings() {
      return new Advisor.Settings(budget, 2000, NOW);
    }
  }

  @Test
  void eachFailedCaseGetsTheCauseItsEvidenceShows() {
    Facts f = new Facts();
    f.corpus.addAll(List.of("The queue holds 500 messages.", "Logs are kept 30 days.", "The port is 8089.", "Backups run every 6 hours."));
    f.chunks.putAll(Map.of("docs/queue.md", 2, "docs/logs.md", 2, "docs/port.md", 1, "docs/handbook.md", 40));
    f.add("ok", true, false, 1.0, List.of(), List.of("500 messages"), List.of("docs/queue.md"))
        .add("gone", false, true, 0.0, List.of(), List.of("12 replicas"), List.of("docs/replicas.md"))
        .add("missed", false, false, 0.0, List.of(), List.of("30 days"), List.of("docs/logs.md"))
        .add("refused", false, true, 1.0, List.of(), List.of("8089"), List.of("docs/port.md"))
        .add("json", false, false, 1.0, List.of(), List.of("500 messages"), List.of("docs/queue.md"), "is-json")
        .add("greeting", false, false, 1.0, List.of("style"), List.of("500 messages"), List.of("docs/queue.md"), "regex")
        .add("deep", false, false, 1.0, List.of(), List.of("6 hours"), List.of("docs/handbook.md"))
        .add("made-up", false, false, 1.0, List.of(), List.of("500 messages"), List.of("docs/queue.md"), "grounded")
        .add("odd", false, false, 1.0, List.of(), List.of("500 messages"), List.of("docs/queue.md"));
    Advisor.Advice a = Advisor.advise(f);
    Map<String, List<String>> byCause = new HashMap<>();
    for (Advisor.Symptom s : a.symptoms()) byCause.put(s.symptom(), s.cases());
    assertThat(byCause).containsEntry("missing-knowledge", List.of("gone")).containsEntry("retrieval-miss", List.of("missed"))
        .containsEntry("over-refusal", List.of("refused")).containsEntry("format", List.of("json")).containsEntry("tone", List.of("greeting"))
        .containsEntry("long-documents", List.of("deep")).containsEntry("hallucination", List.of("made-up"));
    assertThat(a.unexplained()).containsExactly("odd");
    assertThat(a.cases()).isEqualTo(9);
    assertThat(a.failed()).isEqualTo(8);
    assertThat(a.symptoms()).allSatisfy(s -> assertThat(s.share()).isCloseTo(1.0 / 9, within(1e-12)));
    Advisor.Symptom longDocs = a.symptoms().stream().filter(s -> s.symptom().equals("long-documents")).findFirst().orElseThrow();
    assertThat(longDocs.evidence()).contains("docs/handbook.md has 40 chunks (median 2)");
    assertThat(longDocs.firstTry()).contains("auto_merge");
    assertThat(a.notes()).as("knowledge is 2 of 8 failures: no warning").isEmpty();
  }

  @Test
  void theStrongestSymptomComesFirstAndKnowledgeFailuresWarnAgainstFineTuning() {
    Facts f = new Facts();
    f.corpus.add("The port is 8089.");
    for (int i = 0; i < 3; i++) f.add("gone" + i, false, true, 0.0, List.of(), List.of("value " + i), List.of("docs/x.md"));
    f.add("json", false, false, 1.0, List.of(), List.of("8089"), List.of("docs/port.md"), "json-schema");
    Advisor.Advice a = Advisor.advise(f);
    assertThat(a.primary()).isEqualTo("missing-knowledge");
    assertThat(a.symptoms()).extracting(Advisor.Symptom::symptom).containsExactly("missing-knowledge", "format");
    assertThat(a.symptoms().get(0).share()).isCloseTo(0.75, within(1e-12));
    assertThat(a.notes()).singleElement().asString().startsWith("don't fine-tune for facts: 3 of 4 failures are about knowledge");
  }

  @Test
  void aRefusedQuestionAboutRecentEventsIsMissingKnowledge() {
    assertThat(Advisor.recent("What changed in the latest release?", NOW)).isTrue();
    assertThat(Advisor.recent("Who won the 2026 cup?", NOW)).isTrue();
    assertThat(Advisor.recent("Who won the 2019 cup?", NOW)).isFalse();
    Facts f = new Facts();
    f.add("news", false, true, null, List.of(), List.of(), List.of());
    f.results.set(0, new CaseResult("news", List.of(), "What is new this week?", "", true, false, 0, List.of(), null, null, null, 1, null, null, 1, 0));
    assertThat(Advisor.advise(f).primary()).isEqualTo("missing-knowledge");
  }

  @Test
  void costAndLatencyComeFromTheLastThirtyDaysOfTraffic() {
    Facts f = new Facts();
    f.add("ok", true, false, 1.0, List.of(), List.of("x"), List.of("a"));
    f.budget = 10.0;
    // 100 queries at $0.25 = $25 a month against $10: 60% of the spend is over; 10 of them slow
    for (int i = 0; i < 100; i++) f.traffic.add(entry(NOW.minusSeconds(3600L * i), 0.25, i < 10 ? 9000 : 500));
    f.traffic.add(entry(NOW.minusSeconds(40L * 86400), 100.0, 99999)); // older than 30 days: ignored
    Advisor.Advice a = Advisor.advise(f);
    assertThat(a.symptoms()).extracting(Advisor.Symptom::symptom).containsExactly("cost", "latency");
    assertThat(a.symptoms().get(0).share()).isCloseTo(0.6, within(1e-9));
    assertThat(a.symptoms().get(0).evidence()).contains("$0.2500 per query x 100 queries in 30 days = $25.00 a month, over the $10.00 budget");
    assertThat(a.symptoms().get(1).share()).isCloseTo(0.10, within(1e-9));
    assertThat(a.symptoms().get(1).evidence()).contains("p95 9000 ms over the 2000 ms target (10 of 100 queries slower)");
    f.budget = 30.0;
    assertThat(Advisor.advise(f).symptoms()).extracting(Advisor.Symptom::symptom).containsExactly("latency");
  }

  static QueryLog.Entry entry(Instant t, double usd, long ms) {
    return new QueryLog.Entry("q" + t.toEpochMilli(), t, null, "q", "a", false, "openai:gpt-4.1", false, List.of(), List.of(), List.of(), 10, 10, usd, ms, null, null);
  }
}
