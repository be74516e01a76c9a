package dev.groundwork.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.Answer;
import dev.groundwork.core.model.CachingChatModel;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.PriceTable;
import dev.groundwork.core.model.TokenUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LlmJudgeTest {
  @TempDir Path dir;

  /** Replies from a script (a String, or a ModelException to throw) and counts calls. */
  static final class ScriptedModel implements ChatModel {
    final Deque<Object> replies;
    int calls;

    ScriptedModel(Object... replies) {
      this.replies = new ArrayDeque<>(List.of(replies));
    }

    public String name() {
      return "openai:judge";
    }

    public ChatResponse chat(ChatRequest r) {
      calls++;
      Object next = replies.poll();
      if (next instanceof ModelException e) throw e;
      return new ChatResponse((String) next, List.of(), new TokenUsage(100, 0, 10, false), "judge", "stop");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"score\": 0.8, \"reason\": \"ok\"}|0.8",
      "```json\\n{\"score\": 0.25, \"reason\": \"partly\"}\\n```|0.25",
      "Here is my grade: {'score': '1', reason: 'all good',}|1.0",
      "{\"pass\": false, \"reason\": \"wrong number\"}|0.0",
      "Score: 0.6 because it misses the queue.|0.6"})
  void verdictsAreReadFromWhateverShapeTheJudgeUses(String reply, double score) {
    assertThat(LlmJudge.parse(reply.replace("\\n", "\n")).score()).isEqualTo(score);
  }

  @ParameterizedTest
  @ValueSource(strings = {"I think it is fine.", "{\"score\": \"high\"}", "{\"score\": 7}", "{\"score\": NaN}", "", "Score: -0.5"})
  void unreadableOrOutOfRangeVerdictsAreErrorsNeverPasses(String reply) {
    assertThatThrownBy(() -> LlmJudge.parse(reply)).isInstanceOf(LlmJudge.JudgeException.class);
  }

  @Test
  void anLlmRubricCasePassesFailsOrErrorsByTheJudge() throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, "cases:\n  - id: a\n    question: How many attempts?\n    assert: [{type: llm-rubric, value: says five attempts, threshold: 0.7}]\n");
    ScriptedModel judge = new ScriptedModel("{\"score\": 0.9, \"reason\": \"says 5\"}", "{\"score\": 0.2, \"reason\": \"says 3\"}", "no idea",
        new ModelException("openai:judge", ModelException.Kind.SERVER_ERROR, "boom"));
    EvalCase c = SuiteLoader.load(f, null, new LlmJudge(judge)).get(0).cases().get(0);
    Answer a = AssertionsTest.answer("Five attempts [1].", false, 0, 10);
    var pass = c.assertions().get(0).check(c, a);
    var fail = c.assertions().get(0).check(c, a);
    var garbled = c.assertions().get(0).check(c, a);
    var down = c.assertions().get(0).check(c, a);
    assertThat(pass.passed()).isTrue();
    assertThat(pass.score()).isEqualTo(0.9);
    assertThat(fail.passed()).isFalse();
    assertThat(fail.message()).contains("0.20 < 0.70", "says 3");
    assertThat(garbled.passed()).isFalse();
    assertThat(garbled.score()).isZero();
    assertThat(garbled.message()).startsWith("judge error: unparseable judge output");
    assertThat(down.passed()).isFalse();
    assertThat(down.message()).startsWith("judge error:").contains("boom");
  }

  @Test
  void groundedAsksTheJudgeWhenThereIsOne() throws Exception {
    Path f = dir.resolve("g.yaml");
    Files.writeString(f, "cases:\n  - id: a\n    question: q\n    assert: [{type: grounded, threshold: 0.5}]\n");
    ScriptedModel judge = new ScriptedModel("{\"score\": 0.3, \"reason\": \"claims 6 attempts\"}");
    EvalCase c = SuiteLoader.load(f, null, new LlmJudge(judge)).get(0).cases().get(0);
    var o = c.assertions().get(0).check(c, AssertionsTest.answer("The visibility timeout is 30 seconds [1].", false, 0, 10));
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("claims 6 attempts");
    assertThat(judge.calls).isEqualTo(1);
  }

  @Test
  void cachedRepliesCostNothingAndErrorsAreNeverCached() {
    FileResponseStore store = new FileResponseStore(dir.resolve("calls"));
    ScriptedModel m = new ScriptedModel(new ModelException("openai:judge", ModelException.Kind.RATE_LIMITED, "slow down"), "first", "second");
    CachingChatModel cached = new CachingChatModel(m, "openai:judge", store);
    ChatRequest req = ChatRequest.of(ChatMessage.user("hello"));
    assertThatThrownBy(() -> cached.chat(req)).isInstanceOf(ModelException.class);
    ChatResponse r1 = cached.chat(req);
    ChatResponse r2 = new CachingChatModel(m, "openai:judge", new FileResponseStore(dir.resolve("calls"))).chat(req); // a new run, same disk
    assertThat(r1.text()).isEqualTo("first");
    assertThat(r2.text()).isEqualTo("first");
    assertThat(r2.usage()).isEqualTo(TokenUsage.ZERO);
    assertThat(r2.trace().cached()).isTrue();
    assertThat(m.calls).isEqualTo(2); // the error and the first answer; the second call was served from disk
    ChatRequest other = new ChatRequest(req.messages(), 0.5, null, List.of(), null, null);
    assertThat(CachingChatModel.key("openai:judge", other)).isNotEqualTo(CachingChatModel.key("openai:judge", req));
    assertThat(CachingChatModel.key("anthropic:x", req)).isNotEqualTo(CachingChatModel.key("openai:judge", req));
  }

  @Test
  void theJudgeTalliesItsCallsTokensAndCostApartFromTheAnswers() throws Exception {
    PriceTable prices = new PriceTable(java.util.Map.of("openai:judge", new dev.groundwork.core.model.Price(2.0, 1.0, 8.0)));
    LlmJudge judge = new LlmJudge(new ScriptedModel("{\"score\": 1}", "{\"score\": 0}", "{\"score\": 0.5}"), prices);
    LlmJudge.Spend start = judge.spend();
    judge.rubric("q", "a", "r");
    LlmJudge.Spend one = judge.spend();
    judge.grounded("a [1]", "[1] s");
    judge.rubric("q", "a", "r");
    LlmJudge.Spend three = judge.spend();
    assertThat(three.calls()).isEqualTo(3);
    assertThat(three.inputTokens()).isEqualTo(300);
    assertThat(three.outputTokens()).isEqualTo(30);
    // 100 input at $2/M and 10 output at $8/M per call
    assertThat(three.costUsd()).isCloseTo(3 * (100 * 2.0 + 10 * 8.0) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
    LlmJudge.Spend lastTwo = three.since(one);
    assertThat(lastTwo.calls()).isEqualTo(2);
    assertThat(lastTwo.costUsd()).isCloseTo(2 * 280 / 1e6, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(start.calls()).isZero();
    assertThat(three.summary()).isEqualTo("judge openai:judge: 3 calls (0 from the cache), 300 input + 30 output tokens, $0.000840");

    // a model without a price: tokens still counted, cost unknown rather than zero
    LlmJudge unpriced = new LlmJudge(new ScriptedModel("{\"score\": 1}"), new PriceTable(java.util.Map.of()));
    unpriced.rubric("q", "a", "r");
    assertThat(unpriced.spend().costUsd()).isNull();
    assertThat(unpriced.spend().inputTokens()).isEqualTo(100);
    assertThat(unpriced.spend().summary()).endsWith("cost unknown (no price for the model)");
  }
}
