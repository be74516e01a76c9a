package dev.groundwork.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Decides what an upload is from its bytes, never from its name alone. */
final class ContentTypes {
  private ContentTypes() {}

  /**
   * {@code pdf}, {@code html}, {@code md} or {@code txt}.
   *
   * @throws Http.Unsupported when the bytes are binary, or contradict the name's extension
   */
  static String detect(String fileName, byte[] b) {
    String name = fileName.toLowerCase(Locale.ROOT);
    String kind;
    if (b.length >= 5 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F' && b[4] == '-') {
      kind = "pdf";
    } else {
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b)).toString();
      } catch (CharacterCodingException e) {
        throw new Http.Unsupported(fileName + ": not a PDF and not UTF-8 text (binary content is not accepted)");
      }
      if (text.indexOf('\u0000') >= 0) throw new Http.Unsupported(fileName + ": binary content (NUL bytes) is not accepted");
      String head = text.stripLeading().replace("\uFEFF", "").toLowerCase(Locale.ROOT);
      boolean html = head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head") || head.startsWith("<body");
      kind = html ? "html" : name.endsWith(".md") || name.endsWith(".markdown") ? "md" : "txt";
    }
    boolean namedPdf = name.endsWith(".pdf");
    if (namedPdf != kind.equals("pdf")) {
      throw new Http.Unsupported(fileName + ": the name says " + (namedPdf ? "PDF" : "text") + " but the content is " + kind);
    }
    return kind;
  }
}
