package dev.groundwork.ingest;

import dev.groundwork.core.Document;
import dev.groundwork.core.spi.LoadException;
import dev.groundwork.core.spi.Loader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF through PDFBox: text is extracted page by page and each page's paragraphs become blocks
 * carrying the 1-based page number. The title is the document's Title property, else its first
 * line. Encrypted and corrupt files are rejected with a reason; a PDF without a text layer
 * (a scan) loads as empty, which the pipeline reports.
 */
public final class PdfLoader implements Loader {
  @Override
  public Set<String> extensions() {
    return Set.of("pdf");
  }

  @Override
  public Document load(Path file, String id, byte[] content) throws LoadException {
    if (content.length < 5 || !new String(content, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("%PDF-")) {
      throw new LoadException("not a PDF (no %PDF- header); the file is corrupt or misnamed");
    }
    try (PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(content)) {
      DocumentBuilder b = new DocumentBuilder();
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setSortByPosition(true);
      stripper.setParagraphStart("\n\n");
      String firstLine = null;
      for (int p = 1; p <= pdf.getNumberOfPages(); p++) {
        stripper.setStartPage(p);
        stripper.setEndPage(p);
        String pageText = stripper.getText(pdf);
        for (String para : pageText.split("\n\\s*\n")) {
          String t = para.strip();
          if (t.isEmpty()) continue;
          if (firstLine == null) firstLine = t.lines().findFirst().orElse("").strip();
          b.add(unwrap(t), List.of(), p);
        }
      }
      String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
      if (title == null || title.isBlank()) title = firstLine != null && firstLine.length() <= 120 ? firstLine : DocumentBuilder.fileTitle(file);
      return b.build(id, title.strip(), "application/pdf");
    } catch (InvalidPasswordException e) {
      throw new LoadException("encrypted PDF (password required)");
    } catch (IOException e) {
      throw new LoadException("corrupt PDF: " + e.getMessage());
    }
  }

  /** Joins lines wrapped inside a paragraph, keeping breaks before list markers. */
  static String unwrap(String para) {
    return para.replaceAll("-\\n(?=\\p{Ll})", "").replaceAll("\\n(?![-•*\\d])", " ");
  }
}
