package dev.groundwork.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnedRouterTest {
  /**
   * Synthetic outcomes with a signal in the words: prompts about "integrals" defeat the weak model
   * (the strong one solves them), prompts about "capitals" both models answer. Plus noise words.
   */
  private static List<Outcomes.Outcome> outcomes(int n, long seed) {
    Random r = new Random(seed);
    String[] noise = {"please", "quickly", "today", "the", "a", "tell", "me", "about", "value", "number"};
    List<Outcomes.Outcome> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean hard = r.nextBoolean();
      StringBuilder p = new StringBuilder(hard ? "compute the integrals of" : "name the capitals of");
      for (int k = 0; k < 6; k++) p.append(' ').append(noise[r.nextInt(noise.length)]);
      boolean flip = r.nextDouble() < 0.1; // label noise
      double weak = hard ^ flip ? 0 : 1, strong = 1;
      out.add(new Outcomes.Outcome("p" + i, p.toString(), i % 2 == 0 ? "even" : "odd", Map.of("w", weak, "s", strong), Map.of()));
    }
    return out;
  }

  @Test
  void aLinearRouterLearnsWhichPromptsNeedTheStrongModel() {
    List<Outcomes.Outcome> train = outcomes(400, 1), test = outcomes(200, 2);
    LearnedRouter router = LearnedRouter.train(new LearnedRouter.Spec("linear", 10, false), train, "w", "s");
    assertThat(router.score("compute the integrals of today", "odd")).isGreaterThan(router.score("name the capitals of today", "odd") + 0.3);
    double apgr = RoutingCurve.of(router.scores(test), LearnedRouter.quality(test, "w"), LearnedRouter.quality(test, "s")).apgr();
    double oracle = RoutingCurve.oracle(LearnedRouter.quality(test, "w"), LearnedRouter.quality(test, "s")).apgr();
    assertThat(apgr).isGreaterThan(0.5 + 0.8 * (oracle - 0.5));
  }

  @Test
  void theChoiceIsMadeByCrossValidationAndPrefersWhatCarriesTheSignal() {
    List<Outcomes.Outcome> train = outcomes(300, 3);
    List<Integer> seen = new ArrayList<>();
    LearnedRouter.Choice c = LearnedRouter.choose(train, "w", "s", 3, 13, seen::add);
    List<LearnedRouter.Spec> candidates = LearnedRouter.candidates(train);
    assertThat(c.cvApgr().keySet()).containsExactlyElementsOf(candidates);
    assertThat(seen).hasSize(3 * candidates.size()).endsWith(3 * candidates.size());
    // the categories here are parity of the index: noise, so the prior is no better than random
    LearnedRouter.Spec prior = candidates.get(0);
    assertThat(prior.kind()).isEqualTo("prior");
    assertThat(c.cvApgr().get(prior)).isLessThan(0.65);
    assertThat(c.chosen().kind()).isEqualTo("linear");
    assertThat(c.cvApgr().get(c.chosen())).isEqualTo(c.cvApgr().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow());
  }

  @Test
  void thePriorIsTheMeanGainOfTheCategory() {
    List<Outcomes.Outcome> train = List.of(
        new Outcomes.Outcome("1", "x", "math", Map.of("w", 0.0, "s", 1.0), Map.of()),
        new Outcomes.Outcome("2", "y", "math", Map.of("w", 1.0, "s", 1.0), Map.of()),
        new Outcomes.Outcome("3", "z", "history", Map.of("w", 1.0, "s", 0.0), Map.of()));
    LearnedRouter prior = LearnedRouter.train(new LearnedRouter.Spec("prior", 0, true), train, "w", "s");
    assertThat(prior.score("anything", "math")).isEqualTo(0.5);
    assertThat(prior.score("anything", "history")).isEqualTo(-1.0);
    assertThat(prior.score("anything", "unseen")).isEqualTo(0.0); // the mean gain over all of train
  }

  /**
   * Outcomes whose signal is only in the embedding: every prompt reads alike, and a hidden
   * "hardness" is what the embedding's first dimension says (with noise in the others).
   */
  private static List<Outcomes.Outcome> hiddenOutcomes(int n, long seed, Map<String, float[]> vectors) {
    Random r = new Random(seed);
    List<Outcomes.Outcome> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean hard = r.nextBoolean();
      String prompt = "question " + seed + "-" + i + " about the topic";
      float[] v = new float[8];
      v[0] = hard ? 1 : -1;
      for (int k = 1; k < 8; k++) v[k] = (float) r.nextGaussian() * 0.5f;
      vectors.put(prompt, dev.groundwork.core.learn.Vectors.normalize(v));
      out.add(new Outcomes.Outcome("h" + i, prompt, "all", Map.of("w", hard ? 0.0 : 1.0, "s", 1.0), Map.of()));
    }
    return out;
  }

  @Test
  void embeddingsAreCandidatesOnlyWhenGivenAndWinWhenTheyCarryTheSignal() {
    Map<String, float[]> vectors = new java.util.HashMap<>();
    List<Outcomes.Outcome> train = hiddenOutcomes(300, 5, vectors), test = hiddenOutcomes(150, 6, vectors);
    List<String> prompts = new ArrayList<>(vectors.keySet());
    LearnedRouter.Embeddings emb = LearnedRouter.Embeddings.compute("hidden-8", 8, batch -> batch.stream().map(vectors::get).toList(), prompts, n -> { });
    assertThat(LearnedRouter.candidates(train, false)).noneMatch(c -> c.embedding() > 0);
    LearnedRouter.Choice c = LearnedRouter.choose(train, "w", "s", 3, 13, n -> { }, emb);
    assertThat(c.chosen().embedding()).as(c.cvApgr().toString()).isPositive();
    LearnedRouter router = LearnedRouter.train(c.chosen(), train, "w", "s", emb);
    assertThat(router.embedder()).isEqualTo("hidden-8");
    double[] w = LearnedRouter.quality(test, "w"), s = LearnedRouter.quality(test, "s");
    double withEmb = RoutingCurve.of(router.scores(test, emb), w, s).apgr();
    double wordsOnly = RoutingCurve.of(LearnedRouter.train(new LearnedRouter.Spec("linear", 10, false), train, "w", "s").scores(test), w, s).apgr();
    assertThat(withEmb).isGreaterThan(wordsOnly + 0.2);
    // the file keeps the embedder; scoring needs the prompt's embedding, from that embedder
    LearnedRouter back = LearnedRouter.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(router.toJson()));
    assertThat(back.embedder()).isEqualTo("hidden-8");
    String p = test.get(0).prompt();
    assertThat(back.score(p, "all", emb.of(p))).isCloseTo(router.score(p, "all", emb.of(p)), org.assertj.core.api.Assertions.within(1e-6));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> back.score(p, "all")).hasMessageContaining("hidden-8");
    LearnedRouter.Embeddings other = LearnedRouter.Embeddings.compute("another", 8, batch -> batch.stream().map(vectors::get).toList(), prompts, n -> { });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> back.scores(test, other)).hasMessageContaining("trained with hidden-8");
  }
}
