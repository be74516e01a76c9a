package dev.groundwork.core.chunk;

import dev.groundwork.core.Block;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.Document;
import dev.groundwork.core.spi.Chunker;
import dev.groundwork.core.text.Sentences;
import dev.groundwork.core.text.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Token-sized chunks that respect structure.
 *
 * <ol>
 *   <li>Consecutive blocks under the same top two heading levels (a document's title and one of
 *       its sections, with all subsections) and on the same page form a part; a part longer than {@code parentMaxTokens}
 *       is cut at block boundaries.
 *   <li>Each part is cut into units: whole blocks, or the sentences of a block that does not fit in
 *       a leaf, or fixed token windows of a sentence that does not fit either.
 *   <li>Units are packed greedily into leaves of at most {@code maxTokens}; a leaf closes early at a
 *       block boundary once it is at least 60% full and the next block would not fit, and always where
 *       the heading path or the page changes. The next leaf of the same block repeats the trailing whole units of
 *       the previous one, up to {@code overlapTokens}.
 *   <li>In hierarchical mode a part with two or more leaves becomes a parent chunk they link to.
 * </ol>
 *
 * A leaf never spans two heading paths or two pages, and its text is exactly {@code document.text()[start, end)}.
 * A parent's heading path is the part's section (the common prefix of its leaves' paths).
 * Thread-safe and deterministic.
 */
public final class StructuredChunker implements Chunker {
  private final ChunkingOptions options;

  public StructuredChunker(ChunkingOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String fingerprint() {
    return "structured-v1:" + options.maxTokens() + ":" + options.overlapTokens() + ":" + options.hierarchical() + ":" + options.parentMaxTokens();
  }

  /** A run of text that is never split further: offsets, token count, and whether a block starts with it. */
  private record Unit(int start, int end, int tokens, boolean blockStart, Block block) {}

  @Override
  public List<Chunk> chunk(Document doc) {
    List<Chunk> leaves = new ArrayList<>();
    List<Chunk> parents = new ArrayList<>();
    for (List<Block> part : parts(doc)) {
      List<Unit> units = units(doc, part);
      List<int[]> spans = pack(units); // [firstUnit, lastUnitExclusive]
      if (spans.isEmpty()) continue;
      String parentId = null;
      Block first = part.get(0);
      if (options.hierarchical() && spans.size() > 1) {
        parentId = doc.id() + "#p" + parents.size();
        int s = part.get(0).start();
        int e = part.get(part.size() - 1).end();
        parents.add(new Chunk(parentId, doc.id(), doc.source(), doc.title(), doc.mediaType(), commonPrefix(part),
            first.page(), s, e, doc.text().substring(s, e), null, spans.size()));
      }
      for (int[] span : spans) {
        Unit u0 = units.get(span[0]);
        Unit u1 = units.get(span[1] - 1);
        leaves.add(new Chunk(doc.id() + "#" + leaves.size(), doc.id(), doc.source(), doc.title(), doc.mediaType(),
            u0.block().headingPath(), u0.block().page(), u0.start(), u1.end(),
            doc.text().substring(u0.start(), u1.end()), parentId, 0));
      }
    }
    List<Chunk> all = new ArrayList<>(leaves);
    all.addAll(parents);
    return all;
  }

  private static List<String> commonPrefix(List<Block> part) {
    List<String> p = part.get(0).headingPath();
    int n = p.size();
    for (Block b : part) {
      int i = 0;
      while (i < n && i < b.headingPath().size() && p.get(i).equals(b.headingPath().get(i))) i++;
      n = i;
    }
    return p.subList(0, n);
  }

  private static List<String> sectionKey(List<String> headingPath) {
    return headingPath.subList(0, Math.min(2, headingPath.size()));
  }

  /** Sections split into parts of at most parentMaxTokens (a single huge block is its own part). */
  private List<List<Block>> parts(Document doc) {
    List<List<Block>> parts = new ArrayList<>();
    List<Block> cur = new ArrayList<>();
    int curTokens = 0;
    for (Block b : doc.blocks()) {
      int t = Tokens.count(doc.text(b));
      if (t == 0) continue;
      boolean newSection = !cur.isEmpty() && (!sectionKey(cur.get(0).headingPath()).equals(sectionKey(b.headingPath()))
          || !Objects.equals(cur.get(0).page(), b.page()));
      if (!cur.isEmpty() && (newSection || curTokens + t > options.parentMaxTokens())) {
        parts.add(cur);
        cur = new ArrayList<>();
        curTokens = 0;
      }
      cur.add(b);
      curTokens += t;
    }
    if (!cur.isEmpty()) parts.add(cur);
    return parts;
  }

  private List<Unit> units(Document doc, List<Block> part) {
    List<Unit> units = new ArrayList<>();
    String text = doc.text();
    for (Block b : part) {
      int t = Tokens.count(text.substring(b.start(), b.end()));
      if (t <= options.maxTokens()) {
        units.add(new Unit(b.start(), b.end(), t, true, b));
        continue;
      }
      boolean first = true;
      for (Sentences.Span s : Sentences.split(text, b.start(), b.end())) {
        int st = Tokens.count(text.substring(s.start(), s.end()));
        if (st <= options.maxTokens()) {
          units.add(new Unit(s.start(), s.end(), st, first, b));
        } else {
          windows(text, s, b, first, units);
        }
        first = false;
      }
    }
    return units;
  }

  /** Fixed windows over an over-long sentence, cut at token starts, overlapping by overlapTokens. */
  private void windows(String text, Sentences.Span s, Block b, boolean first, List<Unit> units) {
    String sentence = text.substring(s.start(), s.end());
    int[] bounds = Tokens.boundaries(sentence);
    int n = bounds.length - 1;
    int size = options.maxTokens() - options.overlapTokens();
    for (int i = 0; i < n; i += size) {
      int j = Math.min(n, i + size);
      int start = s.start() + bounds[i];
      int end = j == n ? s.end() : s.start() + bounds[j];
      end = trimEnd(text, start, end);
      units.add(new Unit(start, end, j - i, first && i == 0, b));
    }
  }

  private static int trimEnd(String text, int start, int end) {
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
    return end;
  }

  private List<int[]> pack(List<Unit> units) {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < units.size()) {
      int tokens = 0;
      int j = i;
      while (j < units.size() && (j == i || tokens + units.get(j).tokens() <= options.maxTokens())) {
        Block bj = units.get(j).block();
        Block bi = units.get(i).block();
        if (j > i && (!bj.headingPath().equals(bi.headingPath()) || !Objects.equals(bj.page(), bi.page()))) break;
        if (j > i && units.get(j).blockStart() && tokens >= 0.6 * options.maxTokens()
            && tokens + blockTokens(units, j) > options.maxTokens()) {
          break;
        }
        tokens += units.get(j).tokens();
        j++;
      }
      spans.add(new int[] {i, j});
      if (j >= units.size()) break;
      // overlap: restart at the trailing units of this leaf that fit in overlapTokens
      int back = j;
      int overlap = 0;
      while (back - 1 > i && overlap + units.get(back - 1).tokens() <= options.overlapTokens()
          && units.get(back - 1).block() == units.get(j).block()) {
        overlap += units.get(back - 1).tokens();
        back--;
      }
      i = back;
    }
    return spans;
  }

  /** Tokens of the whole block that starts at unit j. */
  private static int blockTokens(List<Unit> units, int j) {
    int t = 0;
    Block b = units.get(j).block();
    for (int k = j; k < units.size() && units.get(k).block() == b; k++) t += units.get(k).tokens();
    return t;
  }
}
