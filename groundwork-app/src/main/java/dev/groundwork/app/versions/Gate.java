package dev.groundwork.app.versions;

import java.util.Map;
import java.util.Optional;

/**
 * What a version must pass to be promoted. Each kind has its own (see {@link Gates}); a gate measures
 * the candidate, and may compare it with the version promoted now.
 */
@FunctionalInterface
public interface Gate {
  /**
   * @param passed whether the candidate may be promoted
   * @param reason one line: what was measured and why it passed or failed
   * @param metrics the figures behind the verdict, recorded in the promotion's history entry
   */
  record Verdict(boolean passed, String reason, Map<String, Object> metrics) {}

  Verdict check(Version candidate, Optional<Version> current);
}
