package dev.groundwork.ingest;

import dev.groundwork.core.Block;
import dev.groundwork.core.Document;
import java.util.ArrayList;
import java.util.List;

/**
 * Accumulates blocks of extracted text into a {@link Document}: blocks are separated by a blank
 * line in the document text, white space inside a block is normalised (runs of spaces folded,
 * line breaks kept), and empty blocks are dropped. Not thread-safe.
 */
final class DocumentBuilder {
  private final StringBuilder text = new StringBuilder();
  private final List<Block> blocks = new ArrayList<>();

  void add(String blockText, List<String> headingPath, Integer page) {
    String t = normalise(blockText);
    if (t.isEmpty()) return;
    if (!text.isEmpty()) text.append("\n\n");
    int start = text.length();
    text.append(t);
    blocks.add(new Block(start, text.length(), headingPath, page));
  }

  static String normalise(String s) {
    String[] lines = s.replace("\r\n", "\n").replace('\r', '\n').replace('\u00A0', ' ').split("\n");
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      String l = line.replaceAll("[ \\t\\x0B\\f]+", " ").strip();
      if (l.isEmpty()) continue;
      if (!sb.isEmpty()) sb.append('\n');
      sb.append(l);
    }
    return sb.toString();
  }

  boolean isEmpty() {
    return blocks.isEmpty();
  }

  Document build(String id, String title, String mediaType) {
    return new Document(id, id, title, mediaType, text.toString(), blocks);
  }

  /** The file name without extension, as a fallback title. */
  static String fileTitle(java.nio.file.Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return (dot > 0 ? n.substring(0, dot) : n).replace('-', ' ').replace('_', ' ');
  }
}
