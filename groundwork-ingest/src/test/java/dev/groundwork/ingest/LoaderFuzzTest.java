package dev.groundwork.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.groundwork.core.spi.LoadException;
import dev.groundwork.core.spi.Loader;
import java.nio.file.Path;

/**
 * Fuzzes each document loader: any bytes are either a document or a {@link LoadException} saying
 * what is wrong with the file; anything else thrown would abort an ingest, and is a finding. Without
 * {@code JAZZER_FUZZ} each target replays its committed seeds as a test.
 */
class LoaderFuzzTest {
  static void load(Loader loader, String name, byte[] data) {
    try {
      loader.load(Path.of(name), name, data);
    } catch (LoadException e) {
      // refused with a reason: the ingest skips the file and says why
    }
  }

  @FuzzTest(maxDuration = "30s")
  void text(byte[] data) {
    load(new TextLoader(), "fuzz.txt", data);
  }

  @FuzzTest(maxDuration = "30s")
  void markdown(byte[] data) {
    load(new MarkdownLoader(), "fuzz.md", data);
  }

  @FuzzTest(maxDuration = "30s")
  void html(byte[] data) {
    load(new HtmlLoader(), "fuzz.html", data);
  }

  @FuzzTest(maxDuration = "30s")
  void pdf(byte[] data) {
    load(new PdfLoader(), "fuzz.pdf", data);
  }
}
