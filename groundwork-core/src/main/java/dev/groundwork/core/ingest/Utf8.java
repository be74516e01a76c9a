package dev.groundwork.core.ingest;

import dev.groundwork.core.spi.LoadException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict text decoding for loaders: binary content and invalid UTF-8 are errors, not mojibake. */
public final class Utf8 {
  private Utf8() {}

  /** True when the first 8 KiB hold a NUL byte, the mark of a binary file. */
  public static boolean looksBinary(byte[] content) {
    int n = Math.min(content.length, 8192);
    for (int i = 0; i < n; i++) if (content[i] == 0) return true;
    return false;
  }

  /**
   * Decodes UTF-8 (a leading byte-order mark is dropped).
   *
   * @throws LoadException naming the byte offset of the first invalid sequence, or when the content is binary
   */
  public static String decode(byte[] content) throws LoadException {
    if (looksBinary(content)) throw new LoadException("binary file (contains NUL bytes), not text");
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content);
    CharBuffer out = CharBuffer.allocate(content.length + 1);
    var result = d.decode(in, out, true);
    if (result.isError()) {
      throw new LoadException("invalid UTF-8 at byte " + in.position() + "; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)");
    }
    try {
      result.throwException();
    } catch (java.nio.BufferOverflowException | java.nio.BufferUnderflowException ignored) {
      // not reachable with the sizes above
    } catch (CharacterCodingException e) {
      throw new LoadException("invalid UTF-8: " + e.getMessage());
    }
    d.flush(out);
    out.flip();
    String s = out.toString();
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }
}
