package dev.groundwork.core.spi;

import dev.groundwork.core.Document;
import java.nio.file.Path;
import java.util.Set;

/**
 * Turns one file into a {@link Document}. Implementations are stateless and thread-safe.
 */
public interface Loader {
  /** Lower-case file extensions without the dot that this loader reads, e.g. {@code "md"}. */
  Set<String> extensions();

  /**
   * Loads {@code file}.
   *
   * @param id the document id (and display source) to give the document
   * @throws LoadException when the file cannot be read as this format; the message names the problem
   *     in a way a person can act on (the caller adds the file name)
   */
  Document load(Path file, String id, byte[] content) throws LoadException;
}
