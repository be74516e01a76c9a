package dev.groundwork.core.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.Answer;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Usage;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.spi.Answerer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteFallbackAnswererTest {
  /** An answerer named {@code model} whose answer is {@code reply}'s (which may throw). */
  static Answerer answerer(String model, java.util.function.Function<List<ScoredChunk>, Answer> reply) {
    return new Answerer() {
      @Override
      public String name() {
        return model;
      }

      @Override
      public Answer answer(String question, List<ScoredChunk> retrieved) {
        return reply.apply(retrieved);
      }
    };
  }

  static Answerer failing(String model, RuntimeException e) {
    return answerer(model, r -> {
      throw e;
    });
  }

  static Answerer answering(String model, String text) {
    return answerer(model, r -> new Answer(text, List.of(), r, model, Usage.NONE, 0.0, 0, false, 1.0, List.of(), null));
  }

  @Test
  void whenTheModelFailsEachRouteAnswersInTurnAndTheAnswerSaysWhy() {
    RouteFallbackAnswerer a = new RouteFallbackAnswerer("openai:m", failing("openai:m", new ModelException("openai:m", ModelException.Kind.SERVER_ERROR, "boom")),
        List.of(new RouteFallbackAnswerer.Fallback("first", failing("x", new ModelException("x", ModelException.Kind.TIMEOUT, "slow"))),
            new RouteFallbackAnswerer.Fallback("second", answering("extractive", "five"))));
    Answer ans = a.answer("q", List.of());
    assertThat(ans.text()).isEqualTo("five");
    assertThat(ans.routing().route()).isEqualTo("second");
    assertThat(ans.routing().attempts()).extracting(x -> x.model()).containsExactly("openai:m", "route:first");
    assertThat(ans.routing().attempts()).allMatch(x -> !x.accepted() && x.reason().startsWith("failed:"));
    assertThat(ans.routing().attempts().get(0).reason()).contains("boom");
  }

  @Test
  void aWorkingModelAnswersAloneAndOtherErrorsAreNotSwallowed() {
    Answerer ok = answering("openai:m", "direct");
    RouteFallbackAnswerer a = new RouteFallbackAnswerer("openai:m", ok, List.of(new RouteFallbackAnswerer.Fallback("r", answering("extractive", "x"))));
    assertThat(a.answer("q", List.of()).text()).isEqualTo("direct");
    assertThat(a.answer("q", List.of()).routing()).isNull();
    RouteFallbackAnswerer bug = new RouteFallbackAnswerer("openai:m", failing("openai:m", new IllegalStateException("a bug")),
        List.of(new RouteFallbackAnswerer.Fallback("r", answering("extractive", "x"))));
    assertThatThrownBy(() -> bug.answer("q", List.of())).isInstanceOf(IllegalStateException.class).hasMessage("a bug");
    RouteFallbackAnswerer allFail = new RouteFallbackAnswerer("openai:m", failing("openai:m", new ModelException("openai:m", ModelException.Kind.SERVER_ERROR, "a")),
        List.of(new RouteFallbackAnswerer.Fallback("r", failing("y", new ModelException("y", ModelException.Kind.SERVER_ERROR, "last")))));
    assertThatThrownBy(() -> allFail.answer("q", List.of())).isInstanceOf(ModelException.class).hasMessageContaining("last");
  }
}
