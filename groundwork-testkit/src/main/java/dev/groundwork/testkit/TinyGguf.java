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
 * Writes GGUF v3 files as GGUF's specification lays them out (little-endian; strings as a u64 length
 * and UTF-8 bytes; tensor data aligned to 32 bytes): a header with no tensors, for testing what reads
 * the header (the chat template, the end-of-sequence token) without a model; and a LoRA adapter with
 * F32 tensors, as llama.cpp loads one ({@code general.type: adapter}, {@code adapter.type: lora},
 * {@code adapter.lora.alpha}; for each adapted weight {@code W} of shape [in, out], {@code W.lora_a}
 * of shape [in, rank] and {@code W.lora_b} of shape [rank, out]).
 */
public final class TinyGguf {
  private TinyGguf() {}

  /**
   * @param values header keys: a String is written as a string, a Long as a u32 (ids), a List of
   *     strings as an array of strings
   */
  public static Path write(Path file, Map<String, Object> values) throws IOException {
    return write(file, values, List.of());
  }

  /** An F32 tensor: its GGUF dimensions (the fastest-moving first) and its values in that order. */
  public record Tensor(String name, long[] dims, float[] data) {}

  /**
   * A LoRA adapter for {@code architecture}: for each weight named in {@code shapes} ({@code [in,
   * out]}, as the base model's header gives them), random {@code lora_a} and {@code lora_b} of
   * {@code rank} drawn with {@code seed}, values of about {@code magnitude}; alpha = rank, so the
   * adapter's scale is 1.
   */
  public static Path lora(Path file, String architecture, Map<String, long[]> shapes, int rank, float magnitude, long seed) throws IOException {
    java.util.Random r = new java.util.Random(seed);
    List<Tensor> tensors = new java.util.ArrayList<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long in = e.getValue()[0], out = e.getValue()[1];
      tensors.add(new Tensor(e.getKey() + ".lora_a", new long[] {in, rank}, random(r, (int) (in * rank), magnitude)));
      tensors.add(new Tensor(e.getKey() + ".lora_b", new long[] {rank, out}, random(r, (int) (rank * out), magnitude)));
    }
    Map<String, Object> kv = new java.util.LinkedHashMap<>();
    kv.put("general.architecture", architecture);
    kv.put("general.type", "adapter");
    kv.put("adapter.type", "lora");
    kv.put("adapter.lora.alpha", (float) rank);
    return write(file, kv, tensors);
  }

  private static float[] random(java.util.Random r, int n, float magnitude) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (float) r.nextGaussian() * magnitude;
    return out;
  }

  /** A GGUF with header {@code values} (String, Long as u32, Float as f32, List of strings) and F32 {@code tensors}. */
  public static Path write(Path file, Map<String, Object> values, List<Tensor> tensors) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
    u32(out, 3);
    u64(out, tensors.size());
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
      } else if (v instanceof Float f) {
        u32(out, 6);
        u32(out, Float.floatToIntBits(f));
      } else if (v instanceof List<?> list) {
        u32(out, 9);
        u32(out, 8);
        u64(out, list.size());
        for (Object o : list) str(out, (String) o);
      } else {
        throw new IllegalArgumentException("unsupported header value " + v);
      }
    }
    long offset = 0;
    for (Tensor t : tensors) {
      str(out, t.name());
      u32(out, t.dims().length);
      long n = 1;
      for (long d : t.dims()) {
        u64(out, d);
        n *= d;
      }
      if (n != t.data().length) throw new IllegalArgumentException(t.name() + ": " + t.data().length + " values for dimensions of " + n);
      u32(out, 0); // F32
      u64(out, offset);
      offset = align(offset + 4L * n);
    }
    if (!tensors.isEmpty()) pad(out); // the data starts aligned; a header-only file ends with its header
    for (Tensor t : tensors) {
      ByteBuffer b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : t.data()) b.putFloat(f);
      out.writeBytes(b.array());
      pad(out);
    }
    Files.write(file, out.toByteArray());
    return file;
  }

  private static final int ALIGNMENT = 32;

  private static long align(long n) {
    return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private static void pad(ByteArrayOutputStream out) {
    while (out.size() % ALIGNMENT != 0) out.write(0);
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
