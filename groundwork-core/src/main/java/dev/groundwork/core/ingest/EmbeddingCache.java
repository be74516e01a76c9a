package dev.groundwork.core.ingest;

import dev.groundwork.core.spi.Embedding;
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
 * model. Format {@code groundwork-embeddings} version 2: a header (magic, version, model name,
 * dimension) and then records {@code [32-byte key][dim floats][int n][n bytes of token
 * signature][crc32]}. A torn record at the end (a process killed while writing) is detected by its
 * length or CRC and cut off on open, so the cache never returns a damaged embedding. A file of another
 * version, model or dimension is replaced. Vectors are held in memory; token signatures (about ten
 * times larger) stay on disk and are read when asked for. Thread-safe.
 */
public final class EmbeddingCache implements Closeable {
  private static final byte[] MAGIC = "GWEMB\0".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 2;
  private static final int MAX_TOKEN_BYTES = 1 << 20;

  private final Path file;
  private final int dim;
  private final Map<Key, Entry> entries = new HashMap<>();
  private final FileChannel channel;
  private final ByteBuffer pending;
  private long written; // bytes on disk; the pending buffer continues from here
  private int hits;
  private int misses;

  /** A cached vector and where its token signature lies in the file (or the pending buffer). */
  private record Entry(float[] vector, long tokensAt, int tokensLength) {}

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
    this.pending = ByteBuffer.allocate(1 << 20);
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
    written = channel.size();
    channel.position(written);
  }

  private int fixedSize() {
    return 32 + 4 * dim + 4;
  }

  private static byte[] header(String model, int dim) {
    byte[] name = model.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + 4 + name.length + 4);
    b.put(MAGIC).putInt(VERSION).putInt(name.length).put(name).putInt(dim);
    return b.array();
  }

  private void load(long offset) throws IOException {
    long size = channel.size();
    ByteBuffer fixed = ByteBuffer.allocate(fixedSize());
    long good = offset;
    while (good + fixedSize() + 4 <= size) {
      fixed.clear();
      channel.read(fixed, good);
      fixed.flip();
      int n = fixed.getInt(fixedSize() - 4);
      if (n < 0 || n > MAX_TOKEN_BYTES || good + fixedSize() + n + 4 > size) break;
      ByteBuffer rest = ByteBuffer.allocate(n + 4);
      channel.read(rest, good + fixedSize());
      rest.flip();
      CRC32 c = new CRC32();
      c.update(fixed.array(), 0, fixedSize());
      c.update(rest.array(), 0, n);
      if ((int) c.getValue() != rest.getInt(n)) break;
      byte[] sha = new byte[32];
      fixed.get(sha);
      float[] v = new float[dim];
      for (int i = 0; i < dim; i++) v[i] = fixed.getFloat();
      entries.put(new Key(sha), new Entry(v, good + fixedSize(), n));
      good += fixedSize() + n + 4;
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

  /** The cached embedding for {@code text} with its token signature, or null. */
  public Embedding get(String text) {
    return get(text, true, false);
  }

  /**
   * The cached embedding for {@code text}, or null. With {@code withTokens} its token signature is read
   * (else the embedding has none); with {@code needTokens}, an entry without a signature counts as a miss.
   */
  public synchronized Embedding get(String text, boolean withTokens, boolean needTokens) {
    Entry e = entries.get(new Key(sha256(text)));
    if (e != null && needTokens && e.tokensLength() == 0) e = null;
    if (e == null) {
      misses++;
      return null;
    }
    hits++;
    return withTokens ? new Embedding(e.vector().clone(), tokens(e)) : Embedding.of(e.vector().clone());
  }

  private byte[] tokens(Entry e) {
    byte[] out = new byte[e.tokensLength()];
    if (out.length == 0) return out;
    if (e.tokensAt() >= written) {
      pending.get((int) (e.tokensAt() - written), out); // not flushed yet
      return out;
    }
    try {
      ByteBuffer b = ByteBuffer.wrap(out);
      while (b.hasRemaining()) {
        if (channel.read(b, e.tokensAt() + b.position()) < 0) throw new IOException("the file ends inside a record");
      }
      return out;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read the embedding cache " + file + ": " + ex.getMessage(), ex);
    }
  }

  public synchronized void put(String text, Embedding e) {
    float[] vector = e.vector();
    if (vector.length != dim) throw new IllegalArgumentException("vector has " + vector.length + " dimensions, cache holds " + dim);
    if (e.tokens().length > MAX_TOKEN_BYTES) throw new IllegalArgumentException("token signature of " + e.tokens().length + " bytes is over " + MAX_TOKEN_BYTES);
    Key k = new Key(sha256(text));
    Entry old = entries.get(k);
    if (old != null && (old.tokensLength() > 0 || !e.hasTokens())) return; // a later record with tokens supersedes one without
    ByteBuffer r = ByteBuffer.allocate(fixedSize() + e.tokens().length + 4);
    r.put(k.sha());
    for (float f : vector) r.putFloat(f);
    r.putInt(e.tokens().length).put(e.tokens());
    CRC32 c = new CRC32();
    c.update(r.array(), 0, r.capacity() - 4);
    r.putInt((int) c.getValue());
    if (pending.remaining() < r.capacity()) writePending();
    entries.put(k, new Entry(vector.clone(), written + pending.position() + fixedSize(), e.tokens().length));
    if (r.capacity() > pending.capacity()) writeNow(r.flip());
    else pending.put(r.array());
  }

  private void writeNow(ByteBuffer b) {
    try {
      while (b.hasRemaining()) written += channel.write(b);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the embedding cache " + file + ": " + ex.getMessage(), ex);
    }
  }

  private void writePending() {
    pending.flip();
    writeNow(pending);
    pending.clear();
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
