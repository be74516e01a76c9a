package dev.groundwork.core.spi;

import dev.groundwork.core.Answer;
import dev.groundwork.core.ScoredChunk;
import java.util.List;
import java.util.function.Consumer;

/**
 * Produces an answer from retrieved chunks. The returned answer's latency and query-embedding step
 * are filled in by the caller.
 */
public interface Answerer {
  String name();

  Answer answer(String question, List<ScoredChunk> retrieved);

  /**
   * Like {@link #answer(String, List)}, handing the answer text to {@code onToken} as it is produced.
   * The default produces the whole answer first and hands it over at once.
   */
  default Answer answer(String question, List<ScoredChunk> retrieved, Consumer<String> onToken) {
    Answer a = answer(question, retrieved);
    onToken.accept(a.text());
    return a;
  }
}
