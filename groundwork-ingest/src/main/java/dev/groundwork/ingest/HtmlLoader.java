package dev.groundwork.ingest;

import dev.groundwork.core.Document;
import dev.groundwork.core.ingest.Utf8;
import dev.groundwork.core.spi.LoadException;
import dev.groundwork.core.spi.Loader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * HTML: {@code h1..h6} build the heading path; paragraphs, list items, table rows, preformatted
 * blocks, quotes and definition lists become blocks. Scripts, styles, navigation, headers and
 * footers are dropped. The title is {@code <title>}, else the first {@code h1}.
 */
public final class HtmlLoader implements Loader {
  private static final Set<String> BLOCKS = Set.of("p", "li", "tr", "pre", "blockquote", "dt", "dd", "figcaption", "caption");

  @Override
  public Set<String> extensions() {
    return Set.of("html", "htm", "xhtml");
  }

  @Override
  public Document load(Path file, String id, byte[] content) throws LoadException {
    String html = Utf8.decode(content);
    org.jsoup.nodes.Document d = Jsoup.parse(html);
    d.select("script, style, nav, header, footer, noscript, template, svg").remove();
    DocumentBuilder b = new DocumentBuilder();
    List<String> path = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    String firstH1 = null;
    for (Element e : d.body().getAllElements()) {
      String tag = e.normalName();
      if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
        int level = tag.charAt(1) - '0';
        String t = e.text().strip();
        if (t.isEmpty()) continue;
        while (!levels.isEmpty() && levels.get(levels.size() - 1) >= level) {
          levels.remove(levels.size() - 1);
          path.remove(path.size() - 1);
        }
        levels.add(level);
        path.add(t);
        if (firstH1 == null && level == 1) firstH1 = t;
      } else if (BLOCKS.contains(tag) && !hasBlockAncestor(e)) {
        b.add(tag.equals("pre") ? e.wholeText() : tag.equals("tr") ? rowText(e) : e.text(), List.copyOf(path), null);
      } else if (tag.equals("div") && e.ownText().strip().length() > 0) {
        b.add(e.ownText(), List.copyOf(path), null);
      }
    }
    String title = d.title().isBlank() ? firstH1 : d.title().strip();
    return b.build(id, title != null ? title : DocumentBuilder.fileTitle(file), "text/html");
  }

  /**
   * A table row as text. Data rows of a table with a header row name each cell by its column
   * ("Plan: Business | Price: $499 per month"), so a row chunk stays meaningful on its own.
   */
  private static String rowText(Element tr) {
    List<String> headers = headers(tr);
    List<String> cells = new ArrayList<>();
    List<Element> children = tr.children();
    for (int i = 0; i < children.size(); i++) {
      Element c = children.get(i);
      boolean named = headers != null && i < headers.size() && c.normalName().equals("td") && !headers.get(i).isBlank();
      cells.add(named ? headers.get(i) + ": " + c.text() : c.text());
    }
    return String.join(" | ", cells);
  }

  /** The header cells of the row's table, or null when the table has no all-th first row or this is it. */
  private static List<String> headers(Element tr) {
    Element table = tr.closest("table");
    if (table == null) return null;
    Element first = table.selectFirst("tr");
    if (first == null || first == tr || first.children().isEmpty()) return null;
    for (Element c : first.children()) if (!c.normalName().equals("th")) return null;
    return first.children().eachText();
  }

  private static boolean hasBlockAncestor(Element e) {
    for (Element p = e.parent(); p != null; p = p.parent()) if (BLOCKS.contains(p.normalName())) return true;
    return false;
  }
}
