package dev.groundwork.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.core.spi.Embedding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
  @TempDir Path dir;

  private static Embedding e(float... v) {
    return Embedding.of(v);
  }

  @Test
  void vectorsAndTokenSignaturesSurviveReopen() {
    byte[] sig = new byte[9 + 8];
    for (int i = 0; i < sig.length; i++) sig[i] = (byte) (i * 7 + 1);
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      c.put("hello", e(1, 2, 3));
      c.put("world", new Embedding(new float[] {4, 5, 6}, sig));
      assertThat(c.get("hello").vector()).containsExactly(1, 2, 3);
    }
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      assertThat(c.size()).isEqualTo(2);
      assertThat(c.get("world").vector()).containsExactly(4, 5, 6);
      assertThat(c.get("world").tokens()).containsExactly(sig);
      assertThat(c.get("hello").hasTokens()).isFalse();
      assertThat(c.get("unknown")).isNull();
      assertThat(c.hits()).isEqualTo(3);
      assertThat(c.misses()).isEqualTo(1);
    }
  }

  @Test
  void aTornRecordAtTheEndIsCutOffAndTheRestKept() throws Exception {
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      c.put("a", e(1, 1, 1));
      c.put("b", new Embedding(new float[] {2, 2, 2}, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 9}));
    }
    Path f = dir.resolve("embeddings-m.bin");
    long size = Files.size(f);
    // simulate a crash in the middle of writing a third record, and a flipped byte in the second
    Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7}, StandardOpenOption.APPEND);
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      assertThat(c.size()).isEqualTo(2);
    }
    assertThat(Files.size(f)).isEqualTo(size);
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length - 10] ^= 0x55;
    Files.write(f, bytes);
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      assertThat(c.size()).isEqualTo(1);
      assertThat(c.get("a").vector()).containsExactly(1, 1, 1);
      assertThat(c.get("b")).isNull();
    }
  }

  @Test
  void aFileForAnotherDimensionIsReplaced() {
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      c.put("a", e(1, 1, 1));
    }
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 4)) {
      assertThat(c.size()).isZero();
    }
  }

  @Test
  void aFileOfTheFirstFormatIsReplacedNotMisread() throws Exception {
    Path f = dir.resolve("embeddings-m.bin");
    byte[] name = "m".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(6 + 4 + 4 + name.length + 4 + 32 + 12 + 4);
    b.put("GWEMB\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(1).putInt(name.length).put(name).putInt(3);
    Files.write(f, b.array());
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      assertThat(c.size()).isZero();
      c.put("a", e(1, 1, 1));
    }
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      assertThat(c.get("a").vector()).containsExactly(1, 1, 1);
    }
  }

  @Test
  void signaturesAreReadFromTheBufferBeforeAFlushAndFromDiskAfterIt() {
    byte[] big = new byte[9 + 8 * 4000]; // larger than the write buffer's share of small records
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    byte[] small = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      c.put("small", new Embedding(new float[] {1, 2, 3}, small));
      assertThat(c.get("small").tokens()).containsExactly(small); // still in the write buffer
      for (int i = 0; i < 40; i++) c.put("big" + i, new Embedding(new float[] {i, 0, 0}, big)); // spills to disk on the way
      c.flush();
      assertThat(c.get("small").tokens()).containsExactly(small);
      assertThat(c.get("big39").tokens()).containsExactly(big);
      assertThat(c.get("big0", false, true).hasTokens()).isFalse(); // vectors only: the signature is not read
      assertThat(c.get("big0", false, true).vector()).containsExactly(0, 0, 0);
      c.put("plain", e(7, 7, 7));
      assertThat(c.get("plain", true, true)).isNull(); // a signature is needed and there is none
      c.put("plain", new Embedding(new float[] {7, 7, 7}, small)); // supersedes the entry without one
      assertThat(c.get("plain", true, true).tokens()).containsExactly(small);
    }
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      assertThat(c.size()).isEqualTo(42);
      assertThat(c.get("big17").tokens()).containsExactly(big);
      assertThat(c.get("big17").vector()).containsExactly(17, 0, 0);
      assertThat(c.get("plain").tokens()).containsExactly(small);
    }
  }
}
