package dev.groundwork.app;

import java.util.List;
import java.util.Map;

/** Eval runs over HTTP. Results are JSON-ready objects (records and maps). Implementations are thread-safe. */
public interface Evals {
  /**
   * Runs a suite of the project and stores the run.
   *
   * @param suite a suite file or folder, relative to the project
   * @return one stored run per suite
   */
  List<Object> start(String suite);

  /** Summaries of the stored runs, newest first: id, suite, started, pass_rate, cases, passed, partial. */
  List<Map<String, Object>> runs();

  /** @throws java.util.NoSuchElementException when there is no such run */
  Object get(String id);

  /** The comparison of run {@code before} with run {@code after}. */
  Object compare(String before, String after);
}
