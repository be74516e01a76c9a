package dev.groundwork.core.answer;

import dev.groundwork.core.Answer;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Verification;
import dev.groundwork.core.spi.Answerer;
import dev.groundwork.core.spi.Verifier;
import dev.groundwork.core.trace.Timeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An answerer whose answers are checked by a {@link Verifier} before they are returned. An answer
 * scoring below {@code minScore}, or one the verifier could not check, becomes a refusal that says
 * why (better to refuse than to guess); refusals are not checked. The verification call is an
 * answer step (tokens, cost) and a {@code verify} span in the trace, with its latency.
 *
 * <p>Streaming: an answer is handed to {@code onToken} only after it passed, in one piece. Streaming
 * tokens before the check would show the user text that the check may then withdraw.
 */
public final class VerifyingAnswerer implements Answerer {
  private final Answerer inner;
  private final Verifier verifier;
  private final double minScore;

  public VerifyingAnswerer(Answerer inner, Verifier verifier, double minScore) {
    this.inner = Objects.requireNonNull(inner);
    this.verifier = Objects.requireNonNull(verifier);
    if (!(minScore >= 0 && minScore <= 1)) throw new IllegalArgumentException("answer.min_verification must be in 0..1, got " + minScore);
    this.minScore = minScore;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved) {
    return verify(question, inner.answer(question, retrieved));
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved, Consumer<String> onToken) {
    Answer a = answer(question, retrieved);
    onToken.accept(a.text());
    return a;
  }

  private Answer verify(String question, Answer a) {
    if (a.refused()) return a;
    long t0 = System.nanoTime();
    Verifier.Verdict v;
    try {
      v = verifier.verify(question, a);
    } catch (RuntimeException e) {
      Timeline.record("verify", t0, Map.of("groundwork.verifier", verifier.name()), e);
      String reason = "the answer could not be checked against its sources (" + e.getMessage() + ")";
      return refusal(a, new Verification(verifier.name(), 0, false, reason));
    }
    boolean passed = v.score() >= minScore;
    if (Timeline.active()) {
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put("groundwork.verifier", verifier.name());
      attrs.put("groundwork.verification.score", v.score());
      attrs.put("groundwork.verification.passed", passed);
      if (v.step() != null && v.step().costUsd() != null) attrs.put("groundwork.cost_usd", v.step().costUsd());
      Timeline.record("verify", t0, attrs, null);
    }
    Answer checked = v.step() == null ? a : a.withStepLast(v.step(), v.usage());
    Verification verification = new Verification(verifier.name(), v.score(), passed, passed ? "" : v.reason());
    return passed ? checked.withVerification(verification) : refusal(checked, verification);
  }

  private static Answer refusal(Answer a, Verification v) {
    String why = v.reason().isBlank() ? "" : " A check of the answer against its sources failed: " + v.reason();
    return new Answer(ExtractiveAnswerer.REFUSAL + why, List.of(), a.retrieved(), a.model(), a.usage(), a.costUsd(), a.latencyMs(), true,
        a.evidence(), a.steps(), a.generation(), a.retrievalMs(), v);
  }
}
