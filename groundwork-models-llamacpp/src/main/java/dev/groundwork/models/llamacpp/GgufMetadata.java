package dev.groundwork.models.llamacpp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key-value header of a GGUF file, as far as serving needs it: the architecture, the chat
 * template and the end-of-sequence (and end-of-turn) tokens. Reads the header only (GGUF v2 and v3,
 * little-endian), never the tensors.
 *
 * @param chatTemplate {@code tokenizer.chat_template}, or null when the file has none
 * @param eosTokenId {@code tokenizer.ggml.eos_token_id}, or null
 * @param eosToken the text of that token, or null
 * @param eotToken the text of {@code tokenizer.ggml.eot_token_id}'s token, or null
 * @param type {@code general.type}: {@code model}, {@code adapter}, or null when unset (a model)
 * @param adapterType {@code adapter.type} ({@code lora} for a LoRA adapter), or null
 */
public record GgufMetadata(int version, String architecture, String chatTemplate, Long eosTokenId, String eosToken, String eotToken, int vocabulary,
    String type, String adapterType) {
  /** Whether this file is a LoRA adapter (to apply over a base model) rather than a model. */
  public boolean isLoraAdapter() {
    return "adapter".equals(type) && "lora".equals(adapterType);
  }

  private static final int MAX_STRING = 64 << 20;

  /** @throws IOException when the file cannot be read, or is not GGUF (the message says which) */
  public static GgufMetadata read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16); DataInputStream in = new DataInputStream(raw)) {
      byte[] magic = in.readNBytes(4);
      if (magic.length < 4 || magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') throw new IOException(file + " is not a GGUF file");
      int version = u32(in);
      if (version < 2 || version > 3) throw new IOException(file + ": GGUF version " + version + " is not read here (2 and 3 are)");
      u64(in); // tensor count
      long kvs = u64(in);
      String arch = null, template = null, type = null, adapterType = null;
      Long eos = null, eot = null;
      String[] tokens = null;
      for (long i = 0; i < kvs; i++) {
        String key = string(in);
        int vt = u32(in);
        switch (key) {
          case "general.architecture" -> arch = (String) value(in, vt);
          case "tokenizer.chat_template" -> template = (String) value(in, vt);
          case "general.type" -> type = (String) value(in, vt);
          case "adapter.type" -> adapterType = (String) value(in, vt);
          case "tokenizer.ggml.eos_token_id" -> eos = ((Number) value(in, vt)).longValue();
          case "tokenizer.ggml.eot_token_id" -> eot = ((Number) value(in, vt)).longValue();
          case "tokenizer.ggml.tokens" -> tokens = strings(in, vt);
          default -> skip(in, vt);
        }
      }
      return new GgufMetadata(version, arch, template, eos, token(tokens, eos), token(tokens, eot), tokens == null ? 0 : tokens.length, type,
          adapterType);
    } catch (EOFException e) {
      throw new IOException(file + ": the GGUF header ends early (a truncated file?)");
    } catch (ClassCastException e) {
      throw new IOException(file + ": a GGUF header value has an unexpected type");
    }
  }

  private static String token(String[] tokens, Long id) {
    return tokens == null || id == null || id < 0 || id >= tokens.length ? null : tokens[(int) (long) id];
  }

  private static Object value(DataInputStream in, int type) throws IOException {
    return switch (type) {
      case 0 -> (long) in.readUnsignedByte();
      case 1 -> (long) in.readByte();
      case 2 -> (long) Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
      case 3 -> (long) Short.reverseBytes(in.readShort());
      case 4 -> Integer.toUnsignedLong(u32(in));
      case 5 -> (long) u32(in);
      case 6 -> (double) Float.intBitsToFloat(u32(in));
      case 7 -> in.readUnsignedByte() != 0;
      case 8 -> string(in);
      case 10, 11 -> u64(in);
      case 12 -> Double.longBitsToDouble(u64(in));
      default -> throw new IOException("GGUF value type " + type + " is not a scalar");
    };
  }

  private static String[] strings(DataInputStream in, int type) throws IOException {
    if (type != 9) throw new IOException("tokenizer.ggml.tokens is not an array");
    int itemType = u32(in);
    long n = u64(in);
    if (itemType != 8 || n > 10_000_000) throw new IOException("tokenizer.ggml.tokens is not a list of strings");
    String[] out = new String[(int) n];
    for (int i = 0; i < n; i++) out[i] = string(in);
    return out;
  }

  private static void skip(DataInputStream in, int type) throws IOException {
    if (type == 9) {
      int itemType = u32(in);
      long n = u64(in);
      for (long i = 0; i < n; i++) skip(in, itemType);
    } else {
      value(in, type);
    }
  }

  private static String string(DataInputStream in) throws IOException {
    long n = u64(in);
    if (n < 0 || n > MAX_STRING) throw new IOException("a GGUF string of " + n + " bytes");
    byte[] b = in.readNBytes((int) n);
    if (b.length < n) throw new EOFException();
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int u32(DataInputStream in) throws IOException {
    return Integer.reverseBytes(in.readInt());
  }

  private static long u64(DataInputStream in) throws IOException {
    return Long.reverseBytes(in.readLong());
  }
}
