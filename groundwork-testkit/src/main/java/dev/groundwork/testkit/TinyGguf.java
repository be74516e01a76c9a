package dev.groundwork.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF v3 file with a header and no tensors, as GGUF's specification lays it out
 * (little-endian; strings as a u64 length and UTF-8 bytes): for testing what reads the header (the
 * chat template, the end-of-sequence token) without a model.
 */
public final class TinyGguf {
  private TinyGguf() {}

  /**
   * @param values header keys: a String is written as a string, a Long as a u32 (ids), a List of
   *     strings as an array of strings
   */
  public static Path write(Path file, Map<String, Object> values) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
    u32(out, 3);
    u64(out, 0); // tensors
    u64(out, values.size());
    for (Map.Entry<String, Object> e : values.entrySet()) {
      str(out, e.getKey());
      Object v = e.getValue();
      if (v instanceof String s) {
        u32(out, 8);
        str(out, s);
      } else if (v instanceof Long l) {
        u32(out, 4);
        u32(out, l.intValue());
      } else if (v instanceof List<?> list) {
        u32(out, 9);
        u32(out, 8);
        u64(out, list.size());
        for (Object o : list) str(out, (String) o);
      } else {
        throw new IllegalArgumentException("unsupported header value " + v);
      }
    }
    Files.write(file, out.toByteArray());
    return file;
  }

  private static void u32(ByteArrayOutputStream out, int v) {
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
  }

  private static void u64(ByteArrayOutputStream out, long v) {
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
  }

  private static void str(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u64(out, b.length);
    out.writeBytes(b);
  }
}
