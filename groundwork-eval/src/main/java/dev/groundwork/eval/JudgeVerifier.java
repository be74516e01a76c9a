package dev.groundwork.eval;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Citation;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Step;
import dev.groundwork.core.Usage;
import dev.groundwork.core.spi.Verifier;
import java.util.Objects;

/**
 * The {@link Verifier} that asks a language model (a hosted judge or a local GGUF): the answer, the
 * full text of each source it cites, and the question go to {@link LlmJudge#verify}. Thread-safe if
 * the model is.
 */
public final class JudgeVerifier implements Verifier {
  private final LlmJudge judge;

  public JudgeVerifier(LlmJudge judge) {
    this.judge = Objects.requireNonNull(judge);
  }

  @Override
  public String name() {
    return judge.name();
  }

  @Override
  public Verdict verify(String question, Answer answer) {
    StringBuilder sources = new StringBuilder();
    for (Citation c : answer.citations()) {
      String text = c.text();
      for (ScoredChunk h : answer.retrieved()) if (h.id().equals(c.chunkId())) text = h.chunk().text();
      sources.append('[').append(c.n()).append("] ").append(c.source()).append('\n').append(text).append("\n\n");
    }
    if (answer.citations().isEmpty()) {
      return new Verdict(0, "the answer cites no source", null, Usage.NONE);
    }
    LlmJudge.Call call = judge.verify(question, answer.text(), sources.toString());
    Step step = new Step("verify", call.model(), call.usage(), call.costUsd(), 1, call.cached());
    return new Verdict(call.verdict().score(), call.verdict().reason(), step,
        new Usage(call.usage().inputTokens(), call.usage().outputTokens(), 0));
  }
}
