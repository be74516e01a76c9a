package dev.groundwork.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Step;
import dev.groundwork.core.Usage;
import dev.groundwork.core.model.TokenUsage;
import dev.groundwork.core.spi.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifyingAnswererTest {
  final ExtractiveAnswerer extractive = new ExtractiveAnswerer(new ContextAssembler(3000), t -> 0.05, 0.3, 3);
  final List<dev.groundwork.core.ScoredChunk> retrieved = List.of(ExtractiveAnswererTest.chunk("vt#0", "vt.md", "Visibility timeout",
      "The default visibility timeout is 30 seconds. Set it per queue.", 0.9));

  static Verifier fixed(double score, String reason, AtomicInteger calls) {
    return new Verifier() {
      public String name() {
        return "openai:judge";
      }

      public Verdict verify(String question, Answer answer) {
        calls.incrementAndGet();
        return new Verdict(score, reason, new Step("verify", "openai:judge", new TokenUsage(100, 0, 10, false), 0.002, 1), new Usage(100, 10, 0));
      }
    };
  }

  @Test
  void aPassingAnswerKeepsItsTextAndCarriesTheVerdictAndItsCost() {
    AtomicInteger calls = new AtomicInteger();
    Answer a = new VerifyingAnswerer(extractive, fixed(0.9, "", calls), 0.5).answer("What is the default visibility timeout?", retrieved);
    assertThat(a.refused()).isFalse();
    assertThat(a.text()).contains("30 seconds");
    assertThat(a.verification().passed()).isTrue();
    assertThat(a.verification().verifier()).isEqualTo("openai:judge");
    assertThat(a.steps()).extracting(Step::name).containsExactly("answer", "verify");
    assertThat(a.costUsd()).isEqualTo(0.002);
    assertThat(a.usage().inputTokens()).isEqualTo(100);
    assertThat(calls).hasValue(1);
  }

  @Test
  void aFailingAnswerBecomesARefusalThatSaysWhyAndStreamsNothingBeforeTheCheck() {
    AtomicInteger calls = new AtomicInteger();
    List<String> streamed = new ArrayList<>();
    Answer a = new VerifyingAnswerer(extractive, fixed(0.1, "the question asks about 2019; the source gives no year", calls), 0.5)
        .answer("What was the default visibility timeout in 2019?", retrieved, streamed::add);
    assertThat(a.refused()).isTrue();
    assertThat(a.citations()).isEmpty();
    assertThat(a.text()).startsWith(ExtractiveAnswerer.REFUSAL).contains("2019");
    assertThat(a.verification().passed()).isFalse();
    assertThat(a.costUsd()).as("the check was paid for").isEqualTo(0.002);
    assertThat(streamed).containsExactly(a.text()); // the refusal, in one piece: never the unchecked answer
  }

  @Test
  void aVerifierThatFailsMeansARefusalAndRefusalsAreNotChecked() {
    Verifier broken = new Verifier() {
      public String name() {
        return "openai:judge";
      }

      public Verdict verify(String question, Answer answer) {
        throw new IllegalStateException("connection refused");
      }
    };
    Answer a = new VerifyingAnswerer(extractive, broken, 0.5).answer("What is the default visibility timeout?", retrieved);
    assertThat(a.refused()).isTrue();
    assertThat(a.verification().reason()).contains("could not be checked", "connection refused");

    AtomicInteger calls = new AtomicInteger();
    Answer refused = new VerifyingAnswerer(extractive, fixed(1, "", calls), 0.5).answer("What is the boiling point of mercury?", retrieved);
    assertThat(refused.refused()).isTrue();
    assertThat(calls).hasValue(0);
  }
}
