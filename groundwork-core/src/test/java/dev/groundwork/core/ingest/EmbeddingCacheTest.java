package dev.groundwork.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
  @TempDir Path dir;

  @Test
  void vectorsSurviveReopen() {
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      c.put("hello", new float[] {1, 2, 3});
      c.put("world", new float[] {4, 5, 6});
      assertThat(c.get("hello")).containsExactly(1, 2, 3);
    }
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      assertThat(c.size()).isEqualTo(2);
      assertThat(c.get("world")).containsExactly(4, 5, 6);
      assertThat(c.get("unknown")).isNull();
      assertThat(c.hits()).isEqualTo(1);
      assertThat(c.misses()).isEqualTo(1);
    }
  }

  @Test
  void aTornRecordAtTheEndIsCutOffAndTheRestKept() throws Exception {
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      c.put("a", new float[] {1, 1, 1});
      c.put("b", new float[] {2, 2, 2});
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
      assertThat(c.get("a")).containsExactly(1, 1, 1);
      assertThat(c.get("b")).isNull();
    }
  }

  @Test
  void aFileForAnotherDimensionIsReplaced() {
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 3)) {
      c.put("a", new float[] {1, 1, 1});
    }
    try (EmbeddingCache c = EmbeddingCache.open(dir, "m", 4)) {
      assertThat(c.size()).isZero();
    }
  }
}
