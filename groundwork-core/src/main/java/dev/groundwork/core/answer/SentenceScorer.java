package dev.groundwork.core.answer;

import java.util.List;

/** Semantic similarity of a question to candidate answer sentences, for the extractive answerer. */
public interface SentenceScorer {
  /** One similarity per sentence, in order; higher is more relevant. Scales are model-specific. */
  double[] similarity(String question, List<String> sentences);
}
