package dev.groundwork.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.groundwork.core.retrieve.TokenSignatures;
import dev.groundwork.core.spi.Embedding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real quantized bge-small model shipped in its Maven artifact. */
class OnnxEmbedderTest {
  static OnnxEmbedder bge;

  @BeforeAll
  static void load() {
    bge = OnnxEmbedder.load("bge-small-en-v1.5-q", 2);
  }

  @AfterAll
  static void close() {
    bge.close();
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  @Test
  void vectorsAreUnitLengthWithTheModelsDimension() {
    float[] v = bge.embedDocuments(List.of("Tidewater retries failed jobs with exponential backoff.")).get(0);
    assertThat(v).hasSize(384);
    assertThat(dot(v, v)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void relatedTextIsCloserThanUnrelatedText() {
    float[] q = bge.embedQuery("how long before a crashed worker's job is redelivered?");
    List<float[]> d = bge.embedDocuments(List.of(
        "If the worker crashes, the job becomes visible again after the visibility timeout and is delivered to another worker.",
        "The Business plan costs 499 dollars per month."));
    assertThat(dot(q, d.get(0))).isGreaterThan(dot(q, d.get(1)) + 0.1);
  }

  @Test
  void batchingAndLengthSortingKeepInputOrder() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 21; i++) texts.add("document number " + i + " " + "word ".repeat(i * 7));
    List<float[]> batch = bge.embedDocuments(texts);
    for (int i : new int[] {0, 7, 20}) {
      float[] single = bge.embedDocuments(List.of(texts.get(i))).get(0);
      // dynamic int8 quantization scales activations per batch, so padding shifts results slightly
      assertThat(dot(batch.get(i), single)).as("text %d", i).isGreaterThan(0.99);
      for (int j = 0; j < texts.size(); j++) {
        if (j != i) assertThat(dot(batch.get(j), single)).as("text %d vs %d", j, i).isLessThan(dot(batch.get(i), single));
      }
    }
  }

  @Test
  void tokenSignaturesCoverTheTextsOwnTokensAndMatchThePassageThatSaysIt() {
    String query = "how long before a crashed worker's job is redelivered?";
    Embedding q = bge.embedQueryWithTokens(query);
    assertThat(q.vector()).containsExactly(bge.embedQuery(query));
    // the instruction prefix, [CLS] and [SEP] are not part of the signature
    assertThat(TokenSignatures.tokens(q.tokens())).isEqualTo(bge.countTokens(query) - 2);
    List<String> passages = List.of(
        "If the worker crashes, the job becomes visible again after the visibility timeout and is delivered to another worker.",
        "The Business plan costs 499 dollars per month.");
    List<Embedding> d = bge.embedDocumentsWithTokens(passages);
    assertThat(TokenSignatures.tokens(d.get(1).tokens())).isEqualTo(bge.countTokens(passages.get(1)) - 2);
    assertThat(d.get(0).tokens()[0]).isEqualTo((byte) 6); // 384 dimensions = 6 words per token
    for (int i = 0; i < 2; i++) assertThat(dot(d.get(i).vector(), bge.embedDocuments(List.of(passages.get(i))).get(0))).isGreaterThan(0.99);
    assertThat(TokenSignatures.maxSim(q.tokens(), d.get(0).tokens()))
        .isGreaterThan(TokenSignatures.maxSim(q.tokens(), d.get(1).tokens()) + 0.05);
    // a text against itself: every token finds its own bits
    Embedding self = bge.embedDocumentsWithTokens(List.of(passages.get(1))).get(0);
    assertThat(TokenSignatures.maxSim(self.tokens(), self.tokens())).isEqualTo(1.0);
  }

  @Test
  void aQuerysSignatureTokensNameTheirWords() {
    String query = "Is the job redelivered after 30s?";
    Embedding q = bge.embedQueryWithTokens(query);
    assertThat(q.words()).hasSize(TokenSignatures.tokens(q.tokens()));
    // word pieces map back to their whole word; punctuation to no word; the instruction prefix is not there
    assertThat(q.words()).contains("redelivered", "30s", "job").containsNull().doesNotContain("Represent", "passages");
    assertThat(q.words().get(0)).isEqualTo("Is");
    assertThat(bge.embedDocumentsWithTokens(List.of(query)).get(0).words()).isEmpty();
    assertThat(OnnxEmbedder.wordAt("a worker's job", 2, 8)).isEqualTo("worker");
    assertThat(OnnxEmbedder.wordAt("redelivered", 3, 6)).isEqualTo("redelivered");
    assertThat(OnnxEmbedder.wordAt("x ?", 2, 3)).isNull();
  }

  @Test
  void malformedTextStillEmbedsWithItsWords() {
    // a lone surrogate: the tokenizer replaces it, and its offsets then run past the Java string
    for (String text : List.of("x \udc00 y", "tail \ud83d", "\udc00")) {
      Embedding q = bge.embedQueryWithTokens(text);
      assertThat(q.words()).hasSize(TokenSignatures.tokens(q.tokens()));
      assertThat(dot(q.vector(), q.vector())).isCloseTo(1.0, within(1e-4));
    }
    assertThat(OnnxEmbedder.wordAt("ab", 3, 6)).isNull();
    assertThat(OnnxEmbedder.wordAt("ab", 1, 6)).isEqualTo("ab");
  }

  @Test
  void queriesGetTheBgeInstructionPrefix() {
    String t = "visibility timeout";
    assertThat(dot(bge.embedQuery(t), bge.embedDocuments(List.of(t)).get(0))).isLessThan(0.999);
  }

  @Test
  void longTextIsTruncatedNotRejected() {
    float[] v = bge.embedDocuments(List.of("token ".repeat(5000))).get(0);
    assertThat(dot(v, v)).isCloseTo(1.0, within(1e-4));
    assertThat(bge.countTokens("hello world")).isEqualTo(4); // [CLS] hello world [SEP]
  }

  @Test
  void miniLmIsSelectableAndUnknownNamesAreRejected() {
    try (OnnxEmbedder m = OnnxEmbedder.load("all-minilm-l6-v2-q", 1)) {
      assertThat(m.dimension()).isEqualTo(384);
      float[] v = m.embedQuery("hello");
      assertThat(dot(v, v)).isCloseTo(1.0, within(1e-4));
    }
    assertThatThrownBy(() -> OnnxEmbedder.load("gpt-embed", 1)).hasMessageContaining("unknown embedder 'gpt-embed'").hasMessageContaining("bge-small-en-v1.5-q");
  }
}
