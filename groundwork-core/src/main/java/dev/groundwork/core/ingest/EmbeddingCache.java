package dev.groundwork.core.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * An append-only on-disk cache of embeddings, keyed by SHA-256 of the embedded text, one file per
 * model. Format {@code groundwork-embeddings} version 1: a header (magic, version, model name,
 * dimension) and then records {@code [32-byte key][dim floats][crc32]}. A torn record at the end (a
 * process killed while writing) is detected by its length or CRC and cut off on open, so the cache
 * never returns a damaged vector. Thread-safe.
 */
public final class EmbeddingCache implements Closeable {
  private static final byte[] MAGIC = "GWEMB\0".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;

  private final Path file;
  private final int dim;
  private final Map<Key, float[]> entries = new HashMap<>();
  private final FileChannel channel;
  private final ByteBuffer pending;
  private int hits;
  private int misses;

  private record Key(byte[] sha) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(sha, k.sha);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(sha);
    }
  }

  /** Opens (creating if needed) the cache file for {@code model}. A file for another model or dimension is replaced. */
  public static EmbeddingCache open(Path dir, String model, int dim) {
    try {
      Files.createDirectories(dir);
      return new EmbeddingCache(dir.resolve("embeddings-" + model.replaceAll("[^A-Za-z0-9._-]", "_") + ".bin"), model, dim);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the embedding cache in " + dir + ": " + e.getMessage(), e);
    }
  }

  private EmbeddingCache(Path file, String model, int dim) throws IOException {
    this.file = file;
    this.dim = dim;
    byte[] header = header(model, dim);
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    this.pending = ByteBuffer.allocate(64 * recordSize());
    long size = channel.size();
    ByteBuffer h = ByteBuffer.allocate(header.length);
    if (size >= header.length) {
      channel.read(h, 0);
    }
    if (size < header.length || !Arrays.equals(h.array(), header)) {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(header), 0);
      channel.force(true);
    } else {
      load(header.length);
    }
    channel.position(channel.size());
  }

  private int recordSize() {
    return 32 + 4 * dim + 4;
  }

  private static byte[] header(String model, int dim) {
    byte[] name = model.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + 4 + name.length + 4);
    b.put(MAGIC).putInt(VERSION).putInt(name.length).put(name).putInt(dim);
    return b.array();
  }

  private void load(long offset) throws IOException {
    int rs = recordSize();
    long size = channel.size();
    ByteBuffer buf = ByteBuffer.allocate(rs);
    long good = offset;
    while (good + rs <= size) {
      buf.clear();
      channel.read(buf, good);
      buf.flip();
      byte[] sha = new byte[32];
      buf.get(sha);
      float[] v = new float[dim];
      for (int i = 0; i < dim; i++) v[i] = buf.getFloat();
      int crc = buf.getInt();
      CRC32 c = new CRC32();
      c.update(buf.array(), 0, rs - 4);
      if ((int) c.getValue() != crc) break;
      entries.put(new Key(sha), v);
      good += rs;
    }
    if (good != size) channel.truncate(good); // torn tail from an interrupted write
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cached vector for {@code text}, or null. */
  public synchronized float[] get(String text) {
    float[] v = entries.get(new Key(sha256(text)));
    if (v == null) misses++;
    else hits++;
    return v;
  }

  public synchronized void put(String text, float[] vector) {
    if (vector.length != dim) throw new IllegalArgumentException("vector has " + vector.length + " dimensions, cache holds " + dim);
    Key k = new Key(sha256(text));
    if (entries.putIfAbsent(k, vector.clone()) != null) return;
    ByteBuffer r = ByteBuffer.allocate(recordSize());
    r.put(k.sha());
    for (float f : vector) r.putFloat(f);
    CRC32 c = new CRC32();
    c.update(r.array(), 0, recordSize() - 4);
    r.putInt((int) c.getValue());
    if (pending.remaining() < r.capacity()) writePending();
    pending.put(r.array());
  }

  private void writePending() {
    try {
      pending.flip();
      while (pending.hasRemaining()) channel.write(pending);
      pending.clear();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedding cache " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes buffered entries and forces them to disk. */
  public synchronized void flush() {
    writePending();
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized int hits() {
    return hits;
  }

  public synchronized int misses() {
    return misses;
  }

  @Override
  public synchronized void close() {
    flush();
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
