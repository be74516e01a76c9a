package dev.groundwork.ingest;

import dev.groundwork.core.spi.Loader;
import java.util.List;

/** The loaders this module provides. */
public final class Loaders {
  private Loaders() {}

  public static List<Loader> all() {
    return List.of(new TextLoader(), new MarkdownLoader(), new HtmlLoader(), new PdfLoader());
  }
}
