package dev.groundwork.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.Block;
import dev.groundwork.core.Document;
import dev.groundwork.core.spi.LoadException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

class LoadersTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void assertOffsetsConsistent(Document d) {
    for (Block b : d.blocks()) assertThat(d.text(b)).isNotBlank().isEqualTo(d.text().substring(b.start(), b.end()));
  }

  @Test
  void markdownHeadingsBecomeHeadingPaths() throws Exception {
    String md = "---\ntitle: x\n---\n# Guide\n\nIntro text.\n\n## Install\n\nRun the installer.\n\n### Linux\n\n- apt install\n- dnf install\n\n## Usage\n\nCall it.\n";
    Document d = new MarkdownLoader().load(Path.of("guide.md"), "docs/guide.md", utf8(md));
    assertThat(d.title()).isEqualTo("Guide");
    assertThat(d.mediaType()).isEqualTo("text/markdown");
    assertThat(d.blocks()).extracting(Block::headingPath).containsExactly(
        List.of("Guide"), List.of("Guide", "Install"), List.of("Guide", "Install", "Linux"), List.of("Guide", "Usage"));
    assertThat(d.text()).contains("Intro text.", "apt install", "Call it.").doesNotContain("title: x");
    assertOffsetsConsistent(d);
  }

  @Test
  void htmlDropsScriptsAndNavigationAndKeepsSections() throws Exception {
    String html = "<html><head><title>FAQ</title><script>var x=1;</script></head><body><nav>Home | Docs</nav>"
        + "<h1>FAQ</h1><p>First answer.</p><h2>Limits</h2><table><tr><td>Starter</td><td>$49</td></tr></table>"
        + "<ul><li>One <b>bold</b> item</li></ul><footer>Copyright</footer></body></html>";
    Document d = new HtmlLoader().load(Path.of("faq.html"), "faq.html", utf8(html));
    assertThat(d.title()).isEqualTo("FAQ");
    assertThat(d.text()).contains("First answer.", "Starter | $49", "One bold item").doesNotContain("var x", "Home | Docs", "Copyright");
    assertThat(d.blocks().get(1).headingPath()).containsExactly("FAQ", "Limits");
    assertOffsetsConsistent(d);
  }

  @Test
  void textParagraphsAndTitle() throws Exception {
    Document d = new TextLoader().load(Path.of("notes.txt"), "notes.txt", utf8("Release notes\n\nFirst para\nwraps.\n\n\nSecond para."));
    assertThat(d.title()).isEqualTo("Release notes");
    assertThat(d.blocks()).hasSize(3);
    assertOffsetsConsistent(d);
  }

  @Test
  void textRejectsInvalidUtf8AndBinary() {
    assertThatThrownBy(() -> new TextLoader().load(Path.of("x.txt"), "x.txt", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)))
        .isInstanceOf(LoadException.class).hasMessageContaining("invalid UTF-8");
    assertThatThrownBy(() -> new MarkdownLoader().load(Path.of("x.md"), "x.md", new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1}))
        .isInstanceOf(LoadException.class).hasMessageContaining("binary");
  }

  static byte[] pdf(String... pages) throws Exception {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (String text : pages) {
        PDPage p = new PDPage();
        doc.addPage(p);
        try (PDPageContentStream cs = new PDPageContentStream(doc, p)) {
          cs.beginText();
          cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          cs.newLineAtOffset(50, 700);
          cs.showText(text);
          cs.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  @Test
  void pdfBlocksCarryTheirPage() throws Exception {
    Document d = new PdfLoader().load(Path.of("sla.pdf"), "sla.pdf", pdf("Service levels for the cloud", "Credits are ten percent."));
    assertThat(d.mediaType()).isEqualTo("application/pdf");
    assertThat(d.title()).isEqualTo("Service levels for the cloud");
    assertThat(d.blocks()).extracting(Block::page).containsExactly(1, 2);
    assertThat(d.text(d.blocks().get(1))).isEqualTo("Credits are ten percent.");
    assertOffsetsConsistent(d);
  }

  @Test
  void corruptPdfIsALoadErrorNotACrash() throws Exception {
    byte[] good = pdf("hello");
    byte[] truncated = java.util.Arrays.copyOf(good, good.length / 3);
    assertThatThrownBy(() -> new PdfLoader().load(Path.of("x.pdf"), "x.pdf", truncated)).isInstanceOf(LoadException.class).hasMessageContaining("PDF");
    assertThatThrownBy(() -> new PdfLoader().load(Path.of("x.pdf"), "x.pdf", utf8("just text"))).isInstanceOf(LoadException.class).hasMessageContaining("not a PDF");
  }
}
