package dev.groundwork.ingest;

import dev.groundwork.core.Document;
import dev.groundwork.core.ingest.Utf8;
import dev.groundwork.core.spi.LoadException;
import dev.groundwork.core.spi.Loader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Plain text (UTF-8): blocks are paragraphs separated by blank lines. A short first line followed
 * by a blank line is taken as the title. Binary content and invalid UTF-8 are rejected.
 */
public final class TextLoader implements Loader {
  @Override
  public Set<String> extensions() {
    return Set.of("txt", "text");
  }

  @Override
  public Document load(Path file, String id, byte[] content) throws LoadException {
    String text = Utf8.decode(content);
    DocumentBuilder b = new DocumentBuilder();
    String[] paras = text.replace("\r\n", "\n").split("\n\\s*\n");
    String title = DocumentBuilder.fileTitle(file);
    if (paras.length > 1 && !paras[0].contains("\n") && paras[0].strip().length() <= 120 && !paras[0].strip().endsWith(".")) {
      title = paras[0].strip();
    }
    for (String p : paras) b.add(p, List.of(), null);
    return b.build(id, title, "text/plain");
  }
}
