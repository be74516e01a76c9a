package dev.groundwork.app;

import dev.groundwork.core.log.QueryLog;
import dev.groundwork.tuning.dataset.Pii;
import java.util.List;

/**
 * A query log that replaces personal data ({@code store.redact}) by {@code [KIND]} in each entry's
 * question, answer and rewritten query, and in corrected answers, before anything is written: the
 * log is training data, and what it never holds cannot leak into a dataset. Thread-safe if the
 * wrapped log is.
 */
final class RedactingQueryLog extends dev.groundwork.core.log.DelegatingQueryLog {
  private final Pii pii;

  RedactingQueryLog(QueryLog delegate, Pii pii) {
    super(delegate);
    this.pii = pii;
  }

  private Entry redact(Entry e) {
    return new Entry(e.id(), e.time(), e.keyId(), pii.scrub(e.question()), pii.scrub(e.answer()), e.refused(), e.model(), e.fallback(), e.retrieved(),
        e.scores(), e.citations(), e.inputTokens(), e.outputTokens(), e.costUsd(), e.latencyMs(), e.promptVersion(), e.error(), e.route(),
        e.rewrittenQuery() == null ? null : pii.scrub(e.rewrittenQuery()));
  }

  @Override
  public void record(Entry e) {
    delegate.record(redact(e));
  }

  @Override
  public void recordAll(List<Entry> entries) {
    delegate.recordAll(entries.stream().map(this::redact).toList());
  }

  @Override
  public void feedback(Feedback f) {
    delegate.feedback(new Feedback(f.queryId(), f.rating(), f.correctedAnswer() == null ? null : pii.scrub(f.correctedAnswer()),
        f.comment() == null ? null : pii.scrub(f.comment()), f.time()));
  }
}
