package dev.groundwork.core;

import java.util.List;
import java.util.Objects;

/**
 * A structural unit of a {@link Document}'s extracted text: a paragraph, list item, table cell or
 * code block. {@code start}/{@code end} are character offsets into {@link Document#text()}
 * (end exclusive). {@code headingPath} is the chain of headings above the block (outermost first,
 * empty when none); {@code page} is the 1-based PDF page, or null for formats without pages.
 */
public record Block(int start, int end, List<String> headingPath, Integer page) {
  public Block {
    if (start < 0 || end < start) throw new IllegalArgumentException("bad block span " + start + ".." + end);
    headingPath = List.copyOf(Objects.requireNonNull(headingPath, "headingPath"));
  }
}
