package dev.groundwork.core;

import java.util.List;
import java.util.Objects;

/**
 * A retrievable piece of a document.
 *
 * <p>Leaf chunks are indexed (BM25 and vectors). A parent chunk is a whole section (or a part of a
 * long one) that its leaves link to through {@code parentId}; parents are stored but not searched,
 * and replace their leaves at query time when enough of them are retrieved (auto-merge).
 *
 * @param id stable id: {@code docId#n} for leaves, {@code docId#pN} for parents
 * @param start character offset of the chunk in the document's extracted text
 * @param end exclusive end offset
 * @param parentId the parent's id, or null when the leaf stands alone
 * @param childCount for a parent, how many leaves link to it; 0 for leaves
 */
public record Chunk(
    String id,
    String docId,
    String source,
    String title,
    String mediaType,
    List<String> headingPath,
    Integer page,
    int start,
    int end,
    String text,
    String parentId,
    int childCount) {

  public Chunk {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(docId, "docId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
    title = title == null ? "" : title;
    mediaType = mediaType == null ? "text/plain" : mediaType;
    headingPath = headingPath == null ? List.of() : List.copyOf(headingPath);
  }

  public boolean isParent() {
    return childCount > 0;
  }

  /** Heading path joined for display, e.g. {@code "Install > Linux"}; empty when none. */
  public String heading() {
    return String.join(" > ", headingPath);
  }

  /**
   * The text given to the embedder and to BM25: the title and heading path followed by the chunk
   * text, so a chunk carries the context its section gives it.
   */
  public String contextualText() {
    StringBuilder sb = new StringBuilder();
    if (!title.isBlank()) sb.append(title).append('\n');
    for (String h : headingPath) {
      if (!h.equals(title)) sb.append(h).append('\n');
    }
    return sb.append(text).toString();
  }
}
