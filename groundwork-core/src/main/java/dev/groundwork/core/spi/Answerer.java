package dev.groundwork.core.spi;

import dev.groundwork.core.Answer;
import dev.groundwork.core.ScoredChunk;
import java.util.List;

/**
 * Produces an answer from retrieved chunks. The returned answer's latency and embedding usage are
 * filled in by the caller.
 */
public interface Answerer {
  String name();

  Answer answer(String question, List<ScoredChunk> retrieved);
}
