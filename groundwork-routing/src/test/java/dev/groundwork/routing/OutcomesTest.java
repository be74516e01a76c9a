package dev.groundwork.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutcomesTest {
  @TempDir Path dir;

  @Test
  void readsRouteLlmCsvsWithQuotedNewlinesAndIgnoresResponseColumns() throws Exception {
    Path f = dir.resolve("mmlu_anatomy.csv");
    Files.writeString(f, "prompt,weak-model,strong-model,weak-model_response\n"
        + "\"Which bone?\nA. femur\nB. ulna\nAnswer:\",True,False,\"A, because \"\"femur\"\"\"\n"
        + "plain,False,True,no\n");
    Outcomes o = Outcomes.read(List.of(f));
    assertThat(o.models()).containsExactly("weak-model", "strong-model");
    assertThat(o.outcomes()).hasSize(2);
    assertThat(o.outcomes().get(0).prompt()).isEqualTo("Which bone?\nA. femur\nB. ulna\nAnswer:");
    assertThat(o.outcomes().get(0).category()).isEqualTo("mmlu_anatomy");
    assertThat(o.outcomes().get(0).score("weak-model")).isEqualTo(1.0);
    assertThat(o.outcomes().get(1).score("strong-model")).isEqualTo(1.0);
    assertThat(o.mean("weak-model")).isEqualTo(0.5);
    assertThat(o.hasCosts()).isFalse();
  }

  @Test
  void readsRouterBenchWideCsvsWithCostsAndJsonlWithOptionalCosts() throws Exception {
    Path wide = dir.resolve("bench.csv");
    Files.writeString(wide, "sample_id,prompt,eval_name,a,a|total_cost,b,b|total_cost\n1,hello,x,0.0,0.0001,1.0,0.002\n2,bye,x,1,0.0001,1,0.003\n");
    Outcomes w = Outcomes.read(List.of(wide));
    assertThat(w.models()).containsExactly("a", "b");
    assertThat(w.hasCosts()).isTrue();
    assertThat(w.outcomes().get(1).costs()).containsEntry("b", 0.003);

    Path jsonl = dir.resolve("log.jsonl");
    Files.writeString(jsonl, "{\"id\": \"q1\", \"prompt\": \"reset my password\", \"scores\": {\"small\": 1, \"big\": true}, \"category\": \"account\"}\n\n"
        + "{\"id\": \"q2\", \"prompt\": \"explain the invoice\", \"scores\": {\"small\": 0.2, \"big\": 0.9}, \"costs\": {\"small\": 0.0001, \"big\": 0.01}}\n");
    Outcomes j = Outcomes.read(List.of(jsonl));
    assertThat(j.outcomes()).extracting(Outcomes.Outcome::id).containsExactly("q1", "q2");
    assertThat(j.outcomes().get(0).category()).isEqualTo("account");
    assertThat(j.outcomes().get(0).score("big")).isEqualTo(1.0);
    assertThat(j.outcomes().get(1).category()).isEqualTo("log");
  }

  @Test
  void aFolderReadsItsOutcomeFilesAndSkipsAListOfPromptsToExclude() throws Exception {
    Files.writeString(dir.resolve("a.csv"), "prompt,w,s\none,True,True\ntwo,False,True\n");
    Files.writeString(dir.resolve("b.csv"), "prompt,w,s\nthree,False,False\n");
    Files.writeString(dir.resolve("contaminated_prompts.jsonl"), "{\"eval_prompt\": \" two \", \"train_prompt\": \"x\"}\n");
    Outcomes o = Outcomes.read(List.of(dir));
    assertThat(o.outcomes()).extracting(Outcomes.Outcome::prompt).containsExactly("one", "two", "three");
    Outcomes kept = o.without(Outcomes.promptsIn(dir.resolve("contaminated_prompts.jsonl")));
    assertThat(kept.outcomes()).extracting(Outcomes.Outcome::prompt).containsExactly("one", "three");
  }

  @Test
  void badFilesAreNamedWithTheirRowAndField() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "prompt,w,s\nok,True,False\nhm,maybe,True\n");
    assertThatThrownBy(() -> Outcomes.read(List.of(csv))).hasMessageContaining("bad.csv").hasMessageContaining("row 3").hasMessageContaining("column w")
        .hasMessageContaining("\"maybe\"");
    Path noPrompt = dir.resolve("np.csv");
    Files.writeString(noPrompt, "question,w,s\nq,True,False\n");
    assertThatThrownBy(() -> Outcomes.read(List.of(noPrompt))).hasMessageContaining("no \"prompt\" column");
    Path jsonl = dir.resolve("bad.jsonl");
    Files.writeString(jsonl, "{\"prompt\": \"p\", \"scores\": {\"w\": 1, \"s\": 0}}\n{\"prompt\": \"q\", \"scores\": {\"w\": 2, \"s\": 0}}\n");
    assertThatThrownBy(() -> Outcomes.read(List.of(jsonl))).hasMessageContaining("bad.jsonl:2").hasMessageContaining("scores.w");
    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, "{\"prompt\": \"p\", \"scores\": {\"w\": 1, \"s\": 0}}\n{not json\n");
    assertThatThrownBy(() -> Outcomes.read(List.of(broken))).hasMessageContaining("broken.jsonl:2: not JSON");
    Path one = dir.resolve("one.jsonl");
    Files.writeString(one, "{\"prompt\": \"p\", \"scores\": {\"w\": 1}}\n");
    assertThatThrownBy(() -> Outcomes.read(List.of(one))).hasMessageContaining("fewer than two models");
    assertThatThrownBy(() -> Outcomes.read(List.of(dir.resolve("missing.csv")))).hasMessageContaining("missing.csv: no such file");
  }
}
