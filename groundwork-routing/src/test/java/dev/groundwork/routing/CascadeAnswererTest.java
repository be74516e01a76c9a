package dev.groundwork.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Step;
import dev.groundwork.core.Usage;
import dev.groundwork.core.Verification;
import dev.groundwork.core.model.TokenUsage;
import dev.groundwork.core.spi.Answerer;
import dev.groundwork.core.trace.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CascadeAnswererTest {
  final List<ScoredChunk> retrieved = List.of(new ScoredChunk(
      new Chunk("vt#0", "vt.md", "vt.md", "Tidewater", "text/markdown", List.of("Visibility"), null, 0, 10, "The timeout is 30 seconds.", null, 0), 0.9));

  /** A model that answers with {@code text} at {@code cost}, counting its calls; streams word by word. */
  static final class Scripted implements Answerer {
    final String model;
    final Function<String, Answer> reply;
    final AtomicInteger calls = new AtomicInteger();

    Scripted(String model, Function<String, Answer> reply) {
      this.model = model;
      this.reply = reply;
    }

    public String name() {
      return model;
    }

    public Answer answer(String question, List<ScoredChunk> retrieved) {
      calls.incrementAndGet();
      return reply.apply(question);
    }

    public Answer answer(String question, List<ScoredChunk> retrieved, Consumer<String> onToken) {
      Answer a = answer(question, retrieved);
      for (String w : a.text().split("(?<= )")) onToken.accept(w);
      return a;
    }
  }

  static Answer answer(String model, String text, boolean refused, double cost, Verification v) {
    Step step = new Step("generate", model, new TokenUsage(100, 0, 20, false), cost, 1);
    return new Answer(text, List.of(), List.of(), model, new Usage(100, 20, 0), cost, 5, refused, 0.8, List.of(step), null, 0, v);
  }

  static Scripted cheap(String text, boolean refused) {
    return new Scripted("local:small", q -> answer("local:small", text, refused, 0.0001, null));
  }

  static Scripted strong() {
    return new Scripted("openai:big", q -> answer("openai:big", "The timeout is 30 seconds. [1]", false, 0.01, null));
  }

  static CascadeAnswerer cascade(List<Answerer> models, List<CascadeAnswerer.Check> checks) {
    List<CascadeAnswerer.Tier> tiers = new ArrayList<>();
    for (Answerer a : models) tiers.add(new CascadeAnswerer.Tier(a.name(), a));
    return new CascadeAnswerer("support", "cascade", tiers, checks);
  }

  static final List<CascadeAnswerer.Check> CHECKS = List.of(CascadeAnswerer.Checks.verification(), CascadeAnswerer.Checks.unwarrantedRefusal());

  @Test
  void aGoodCheapAnswerStopsTheCascadeAndIsHeldThenHandedOverWhole() {
    Scripted small = cheap("It is 30 seconds. [1]", false), big = strong();
    List<String> streamed = new ArrayList<>();
    Answer a = cascade(List.of(small, big), CHECKS).answer("What is the timeout?", retrieved, streamed::add);
    assertThat(a.model()).isEqualTo("local:small");
    assertThat(big.calls).hasValue(0);
    assertThat(streamed).containsExactly("It is 30 seconds. [1]"); // one piece, after the checks
    assertThat(a.routing().route()).isEqualTo("support");
    assertThat(a.routing().escalated()).isFalse();
    assertThat(a.routing().attempts()).singleElement().satisfies(at -> {
      assertThat(at.model()).isEqualTo("local:small");
      assertThat(at.accepted()).isTrue();
      assertThat(at.costUsd()).isEqualTo(0.0001);
    });
  }

  @Test
  void anUnwarrantedRefusalEscalatesAndEveryAttemptIsPaidForAndRecorded() {
    Scripted small = cheap("I don't know.", true), big = strong();
    List<String> streamed = new ArrayList<>();
    Timeline.begin();
    Answer a;
    List<Timeline.Section> spans;
    try {
      a = cascade(List.of(small, big), CHECKS).answer("What is the timeout?", retrieved, streamed::add);
    } finally {
      spans = Timeline.end().sections();
    }
    assertThat(a.model()).isEqualTo("openai:big");
    assertThat(a.refused()).isFalse();
    assertThat(a.routing().escalated()).isTrue();
    assertThat(a.routing().attempts()).extracting(r -> r.model() + ":" + r.accepted()).containsExactly("local:small:false", "openai:big:true");
    assertThat(a.routing().attempts().get(0).reason()).isEqualTo("refused although 1 sources were retrieved");
    assertThat(a.costUsd()).isCloseTo(0.0101, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(a.usage().inputTokens()).isEqualTo(200);
    assertThat(a.steps()).extracting(Step::model).containsExactly("local:small", "openai:big");
    // the last model streams as it goes; the refused cheap answer was never shown
    assertThat(streamed).hasSizeGreaterThan(1).doesNotContain("I don't know.");
    assertThat(String.join("", streamed)).isEqualTo(a.text());
    assertThat(spans).filteredOn(s -> s.name().equals("route.attempt")).hasSize(2)
        .first().satisfies(s -> assertThat(s.attributes()).containsEntry("groundwork.route.accepted", false));
  }

  @Test
  void aFailedVerificationOrSchemaEscalatesAndTheLastModelAnswersWhateverItsChecksSay() {
    Verification failed = new Verification("answerability", 0.1, false, "does not cover the question's \"2019\"");
    Scripted small = new Scripted("extractive", q -> answer("extractive", "The documents do not contain an answer.", true, 0, failed));
    Scripted json = new Scripted("local:json", q -> answer("local:json", "not json", false, 0.001, null));
    Scripted big = new Scripted("openai:big", q -> answer("openai:big", "also not json", false, 0.01, null));
    List<CascadeAnswerer.Check> checks = new ArrayList<>(CHECKS);
    checks.add(CascadeAnswerer.Checks.schema(text -> text.startsWith("{") ? List.of() : List.of("not JSON")));
    Answer a = cascade(List.of(small, json, big), checks).answer("What was the timeout in 2019?", retrieved);
    assertThat(a.routing().attempts()).extracting(r -> r.reason()).containsExactly(
        "not supported by its sources (answerability score 0.10: does not cover the question's \"2019\")",
        "does not match the route's JSON Schema: not JSON", "");
    assertThat(a.model()).isEqualTo("openai:big");
    assertThat(a.text()).isEqualTo("also not json");
  }

  @Test
  void aFailingCheapModelEscalatesButTheLastModelsErrorIsTheAnswersError() {
    Scripted broken = new Scripted("local:small", q -> {
      throw new IllegalStateException("connection refused");
    });
    Answer a = cascade(List.of(broken, strong()), CHECKS).answer("What is the timeout?", retrieved);
    assertThat(a.routing().attempts().get(0).reason()).isEqualTo("failed: connection refused");
    assertThat(a.model()).isEqualTo("openai:big");
    assertThatThrownBy(() -> cascade(List.of(cheap("I don't know.", true), broken), CHECKS).answer("q", retrieved))
        .isInstanceOf(IllegalStateException.class).hasMessage("connection refused");
  }

  @Test
  void aFixedRouteAsksOnlyItsFirstModel() {
    Scripted small = cheap("I don't know.", true), big = strong();
    Answer a = new CascadeAnswerer("support", "fixed", List.of(new CascadeAnswerer.Tier("local:small", small), new CascadeAnswerer.Tier("openai:big", big)),
        CHECKS).answer("What is the timeout?", retrieved);
    assertThat(a.model()).isEqualTo("local:small");
    assertThat(big.calls).hasValue(0);
    assertThat(a.routing().policy()).isEqualTo("fixed");
    assertThatThrownBy(() -> new CascadeAnswerer("x", "random", List.of(new CascadeAnswerer.Tier("a", small)), CHECKS)).hasMessageContaining("policy");
  }

  @Test
  void aLearnedRouteStartsWhereItsRouterSaysAndRecordsTheSkippedModel() {
    Scripted small = cheap("It is 30 seconds. [1]", false), big = strong();
    CascadeAnswerer.Router router = q -> q.contains("prove") ? new CascadeAnswerer.Start(1, "skipped: router scored 0.9 >= threshold 0.5")
        : new CascadeAnswerer.Start(0, "");
    CascadeAnswerer route = new CascadeAnswerer("support", "learned",
        List.of(new CascadeAnswerer.Tier("local:small", small), new CascadeAnswerer.Tier("openai:big", big)), CHECKS, router);
    Answer hard = route.answer("prove the timeout is finite", retrieved);
    assertThat(hard.model()).isEqualTo("openai:big");
    assertThat(small.calls).hasValue(0);
    assertThat(hard.routing().attempts()).extracting(r -> r.model() + ":" + r.accepted() + ":" + r.reason())
        .containsExactly("local:small:false:skipped: router scored 0.9 >= threshold 0.5", "openai:big:true:");
    Answer easy = route.answer("What is the timeout?", retrieved);
    assertThat(easy.model()).isEqualTo("local:small");
    assertThat(big.calls).hasValue(1);
  }
}
