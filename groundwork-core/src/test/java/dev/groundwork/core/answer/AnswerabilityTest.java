package dev.groundwork.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped answerability model on questions written to look answerable from a passage that does not answer them. */
class AnswerabilityTest {
  static final String PASSAGE = "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, a region in France. "
      + "They were descended from Norse raiders and pirates from Denmark, Iceland and Norway who, under their leader Rollo, agreed to swear "
      + "fealty to King Charles III of West Francia. The Norman dynasty had a major political, cultural and military impact on medieval Europe.";
  static final String SENTENCE = "They were descended from Norse raiders and pirates from Denmark, Iceland and Norway who, under their leader Rollo, "
      + "agreed to swear fealty to King Charles III of West Francia.";
  static final Map<String, Double> DF = Map.of("normans", 0.3, "norse", 0.05, "rollo", 0.05, "france", 0.2, "leader", 0.1);
  final Answerability check = Answerability.standard(t -> DF.getOrDefault(t, 0.01));

  double score(String q) {
    return check.check(q, SENTENCE, "Normans", PASSAGE).score();
  }

  @Test
  void aQuestionTheSentenceAnswersScoresAboveItsPerturbedCopies() {
    double answerable = score("Who was the leader of the Norse raiders?");
    assertThat(score("Who was not the leader of the Norse raiders?")).as("negation added").isLessThan(answerable);
    assertThat(score("Who was the leader of the Norse raiders in 1066?")).as("a date the passage lacks").isLessThan(answerable);
    assertThat(score("Who was the leader of the Saxon raiders?")).as("entity swapped").isLessThan(answerable);
    assertThat(answerable).isGreaterThan(0.27);
  }

  @Test
  void theOutcomeNamesWhatTheEvidenceLacks() {
    var c = check.check("Who was not the leader of the Saxon raiders in 1066?", SENTENCE, "Normans", PASSAGE);
    assertThat(c.uncovered()).contains("\"Saxon\"", "\"1066\"", "negation");
    assertThat(c.explanation()).contains("Saxon", "1066", "negation");
    var first = check.check("Who was the last king of West Francia?", SENTENCE, "Normans", PASSAGE);
    assertThat(first.uncovered()).contains("\"last\"");
    var when = check.check("When did Rollo swear fealty?", "Rollo agreed to swear fealty to King Charles III.", "Normans", PASSAGE);
    assertThat(when.uncovered()).contains("time (it asks when)");
  }

  @Test
  void theExtractiveAnswererRefusesBelowTheThresholdAndSaysWhy() {
    var chunk = ExtractiveAnswererTest.chunk("n#0", "normans.md", "Normans", PASSAGE, 0.9);
    ExtractiveAnswerer strict = new ExtractiveAnswerer(new ContextAssembler(3000), t -> DF.getOrDefault(t, 0.01), 0.3, 3, null,
        Answerability.standard(t -> DF.getOrDefault(t, 0.01)), 0.27);
    Answer swapped = strict.answer("Who was not the leader of the Saxon raiders in 1066?", List.of(chunk));
    assertThat(swapped.refused()).isTrue();
    assertThat(swapped.citations()).isEmpty();
    assertThat(swapped.text()).startsWith(ExtractiveAnswerer.REFUSAL).contains("Saxon");
    assertThat(swapped.verification().passed()).isFalse();
    assertThat(swapped.verification().verifier()).isEqualTo("answerability");

    Answer fine = strict.answer("Who was the leader of the Norse raiders?", List.of(chunk));
    assertThat(fine.refused()).isFalse();
    assertThat(fine.text()).contains("Rollo");
    assertThat(fine.verification().passed()).isTrue();
    assertThat(fine.verification().score()).isGreaterThanOrEqualTo(0.27);

    // threshold 0: the same check runs and is recorded, and never refuses
    ExtractiveAnswerer scoring = new ExtractiveAnswerer(new ContextAssembler(3000), t -> DF.getOrDefault(t, 0.01), 0.3, 3, null,
        Answerability.standard(t -> DF.getOrDefault(t, 0.01)), 0);
    Answer scored = scoring.answer("Who was not the leader of the Saxon raiders in 1066?", List.of(chunk));
    assertThat(scored.refused()).isFalse();
    assertThat(scored.verification().score()).isEqualTo(swapped.verification().score());
  }
}
