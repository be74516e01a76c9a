package dev.groundwork.core;

import java.util.List;

/**
 * How a language model produced an answer.
 *
 * @param promptVersion the hash of the prompt template that built the request
 * @param answeredBy the configured model that answered (differs from the first one after a fallback)
 * @param failures errors of failed attempts and skipped models, in order
 * @param fallback true when a later model of the fallback chain answered
 * @param invalidCitations {@code [n]} markers the model wrote that pointed at no source (removed)
 * @param droppedChunks retrieved chunks left out to fit the context window (lowest ranked first)
 * @param contextTokens tokens of the sources block sent to the model
 * @param finishReason the provider's finish reason ({@code stop}, {@code length}, ...)
 * @param meanLogprob the mean token log-probability of the reply, when asked for and returned; else null
 */
public record Generation(String promptVersion, String answeredBy, List<String> failures, boolean fallback, List<Integer> invalidCitations,
    int droppedChunks, int contextTokens, String finishReason, Double meanLogprob) {
  public Generation {
    failures = List.copyOf(failures);
    invalidCitations = List.copyOf(invalidCitations);
  }
}
