package dev.groundwork.ingest;

import dev.groundwork.core.Document;
import dev.groundwork.core.ingest.Utf8;
import dev.groundwork.core.spi.LoadException;
import dev.groundwork.core.spi.Loader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * Markdown (CommonMark): headings build the heading path of the blocks below them; every other
 * top-level block (paragraph, list item, code block, quote, table row) becomes a block of plain
 * text. The first level-1 heading is the title. A leading YAML front-matter block is dropped.
 */
public final class MarkdownLoader implements Loader {
  private static final Parser PARSER = Parser.builder().build();
  private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();

  @Override
  public Set<String> extensions() {
    return Set.of("md", "markdown");
  }

  @Override
  public Document load(Path file, String id, byte[] content) throws LoadException {
    String text = Utf8.decode(content);
    if (text.startsWith("---\n")) {
      int end = text.indexOf("\n---", 4);
      if (end > 0) text = text.substring(text.indexOf('\n', end + 1) + 1);
    }
    Node root = PARSER.parse(text);
    DocumentBuilder b = new DocumentBuilder();
    List<String> path = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    String title = null;
    for (Node n = root.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Heading h) {
        String t = TEXT.render(h).strip();
        while (!levels.isEmpty() && levels.get(levels.size() - 1) >= h.getLevel()) {
          levels.remove(levels.size() - 1);
          path.remove(path.size() - 1);
        }
        levels.add(h.getLevel());
        path.add(t);
        if (title == null && h.getLevel() == 1) title = t;
      } else if (n instanceof BulletList || n instanceof OrderedList) {
        // one block per list, one line per item, soft line breaks inside an item joined
        StringBuilder items = new StringBuilder();
        for (Node item = n.getFirstChild(); item != null; item = item.getNext()) {
          StringBuilder t = new StringBuilder();
          for (Node c = item.getFirstChild(); c != null; c = c.getNext()) t.append(TEXT.render(c)).append(' ');
          items.append("- ").append(t.toString().strip().replace('\n', ' ')).append('\n');
        }
        b.add(items.toString(), List.copyOf(path), null);
      } else if (n instanceof Paragraph || n instanceof BlockQuote) {
        b.add(TEXT.render(n).replace('\n', ' '), List.copyOf(path), null); // soft breaks are spaces
      } else {
        b.add(TEXT.render(n), List.copyOf(path), null);
      }
    }
    return b.build(id, title != null ? title : DocumentBuilder.fileTitle(file), "text/markdown");
  }
}
