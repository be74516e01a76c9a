package dev.groundwork.app.versions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdapterGateTest {
  @Test
  void questionsAboutDocumentsNoTrainingQuestionWasAboutMustNotLoseMuch() {
    java.util.List<String> gate = new java.util.ArrayList<>();
    java.util.Map<String, java.util.Set<String>> docs = new java.util.HashMap<>();
    double[] before = new double[10], after = new double[10];
    for (int i = 0; i < 10; i++) {
      gate.add("q" + i);
      // q0..q4 are about a document training saw; q5..q9 about ones it never did
      docs.put("q" + i, java.util.Set.of(i < 5 ? "seen.md" : "new-" + i + ".md"));
      before[i] = 0.6;
      after[i] = i < 5 ? 0.9 : 0.55;
    }
    AdapterVersions.Unseen u = AdapterVersions.Unseen.of(gate, docs, java.util.Set.of("seen.md"), before, after);
    assertThat(u.n()).isEqualTo(5);
    assertThat(u.before()).isEqualTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(u.after()).isEqualTo(0.55, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(u.checked()).isTrue();
    assertThat(u.holds()).as("-0.05 is more than the 0.02 allowed").isFalse();
    assertThat(u.describe()).contains("loses more than 0.02", "--for new-documents");

    after[9] = after[8] = after[7] = after[6] = after[5] = 0.59;
    assertThat(AdapterVersions.Unseen.of(gate, docs, java.util.Set.of("seen.md"), before, after).holds()).isTrue();
    // four such questions are too few to judge: the check does not block
    AdapterVersions.Unseen few = AdapterVersions.Unseen.of(gate.subList(0, 9), docs, java.util.Set.of("seen.md"), before, new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0});
    assertThat(few.n()).isEqualTo(4);
    assertThat(few.checked()).isFalse();
    assertThat(few.holds()).isTrue();
  }

  /** An embedder whose every query is (0.6, 0.8). */
  static final class Fixed implements dev.groundwork.core.spi.Embedder {
    public String name() {
      return "fixed";
    }

    public int dimension() {
      return 2;
    }

    public java.util.List<float[]> embedDocuments(java.util.List<String> texts) {
      return texts.stream().map(t -> new float[] {1f, 0f}).toList();
    }

    public float[] embedQuery(String query) {
      return new float[] {0.6f, 0.8f};
    }

    public int countTokens(String text) {
      return 1;
    }
  }

  @Test
  void aStoredAdapterBringsItsScopeAndTheFusionSettingsTunedWithIt() {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    dev.groundwork.tuning.QueryAdapter a = new dev.groundwork.tuning.QueryAdapter(2, new float[] {0, 1, 1, 0}).scoped(new float[][] {{0.6f, 0.8f}}, 0.9);
    var n = json.createObjectNode().put("weights", java.util.Base64.getEncoder().encodeToString(a.toBytes()));
    n.putObject("retrieval").put("bm25_weight", 0.5).put("dense_weight", 1.0).put("late_weight", 0.0);
    dev.groundwork.tuning.AdaptedEmbedder e = AdapterVersions.embedder(new Fixed(), n, "retrieval-adapter-x");
    assertThat(e.embedQuery("q")).containsExactly(0.8f, 0.6f);
    dev.groundwork.core.retrieve.RetrievalOptions configured = dev.groundwork.core.retrieve.RetrievalOptions.DEFAULT;
    assertThat(e.optionsFor("q", configured).bm25Weight()).isEqualTo(0.5);
    assertThat(e.optionsFor("q", configured).lateWeight()).isEqualTo(0.0);
    // an adapter stored before fusion was tuned with it (or for a project that searches dense) keeps the configuration's
    n.remove("retrieval");
    assertThat(AdapterVersions.embedder(new Fixed(), n, "retrieval-adapter-y").optionsFor("q", configured)).isSameAs(configured);
  }
}
