package dev.groundwork.core;

import java.util.List;
import java.util.Objects;

/**
 * A loaded source file: its extracted plain text and the structure found in it.
 *
 * @param id stable identifier, the source path relative to the project (forward slashes)
 * @param source the path shown to people (usually equal to id)
 * @param title the document title (from the format's metadata, the first heading, or the file name)
 * @param mediaType one of {@code text/plain, text/markdown, text/html, application/pdf}
 * @param text the extracted text that every {@link Block} and {@link Chunk} offset points into
 * @param blocks the structural units in reading order; they do not overlap
 */
public record Document(String id, String source, String title, String mediaType, String text, List<Block> blocks) {
  public Document {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(text, "text");
    blocks = List.copyOf(blocks);
    for (Block b : blocks) {
      if (b.end() > text.length()) throw new IllegalArgumentException("block " + b + " beyond text of " + id);
    }
  }

  /** The text of one block. */
  public String text(Block b) {
    return text.substring(b.start(), b.end());
  }
}
