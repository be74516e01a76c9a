package dev.groundwork.core.retrieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenSignaturesTest {
  private static float[][] random(Random r, int tokens, int dim) {
    float[][] s = new float[tokens][dim];
    for (float[] t : s) for (int d = 0; d < dim; d++) t[d] = (float) r.nextGaussian();
    return s;
  }

  private static float[] negate(float[] v) {
    float[] o = new float[v.length];
    for (int i = 0; i < v.length; i++) o[i] = -v[i];
    return o;
  }

  @Test
  void packsOneSignBitPerDimensionAfterAWidthByte() {
    float[][] states = new float[3][70];
    states[1][0] = 1; // bit 0 of word 0
    states[1][69] = 2; // bit 5 of word 1
    states[2][64] = -1; // negative: no bit
    byte[] sig = TokenSignatures.pack(states, 1, 3);
    assertThat(sig[0]).isEqualTo((byte) 2);
    assertThat(sig).hasSize(1 + 2 * 2 * 8);
    assertThat(TokenSignatures.tokens(sig)).isEqualTo(2);
    assertThat(sig[1]).isEqualTo((byte) 1);
    assertThat(sig[9]).isEqualTo((byte) (1 << 5));
    for (int i = 17; i < sig.length; i++) assertThat(sig[i]).isZero();
    assertThat(TokenSignatures.pack(states, 2, 2)).isEmpty();
  }

  @Test
  void maxSimTakesEachQueryTokensBestMatchAndAveragesThem() {
    Random r = new Random(1);
    float[][] doc = random(r, 20, 384);
    float[][] other = random(r, 20, 384);
    // a query made of two of the document's tokens: each finds itself, so MaxSim is 1
    float[][] query = {doc[3], doc[17]};
    byte[] q = TokenSignatures.pack(query, 0, 2);
    assertThat(TokenSignatures.maxSim(q, TokenSignatures.pack(doc, 0, 20))).isEqualTo(1.0);
    // against unrelated random tokens the best of 20 agrees on clearly fewer bits
    double unrelated = TokenSignatures.maxSim(q, TokenSignatures.pack(other, 0, 20));
    assertThat(unrelated).isBetween(0.0, 0.4);
    // one query token matches exactly, the other is the opposite of every bit: (1 + -1) / 2
    byte[] half = TokenSignatures.pack(new float[][] {doc[3], negate(doc[3])}, 0, 2);
    assertThat(TokenSignatures.maxSim(half, TokenSignatures.pack(new float[][] {doc[3]}, 0, 1))).isCloseTo(0.0, within(1e-9));
    // order of the document's tokens does not matter
    float[][] reversed = new float[20][];
    for (int i = 0; i < 20; i++) reversed[i] = doc[19 - i];
    assertThat(TokenSignatures.maxSim(q, TokenSignatures.pack(reversed, 0, 20))).isEqualTo(1.0);
  }

  @Test
  void emptyOrMismatchedSignaturesHaveNoScore() {
    Random r = new Random(2);
    byte[] a = TokenSignatures.pack(random(r, 2, 384), 0, 2);
    byte[] narrow = TokenSignatures.pack(random(r, 2, 64), 0, 2);
    assertThat(TokenSignatures.maxSim(a, new byte[0])).isNaN();
    assertThat(TokenSignatures.maxSim(new byte[0], a)).isNaN();
    assertThat(TokenSignatures.maxSim(a, narrow)).isNaN();
    assertThat(TokenSignatures.tokens(new byte[] {6, 1, 2})).isZero();
  }

  @Test
  void weightsDecideHowMuchEachQueryTokenCounts() {
    Random r = new Random(3);
    float[] t = random(r, 1, 384)[0];
    byte[] doc = TokenSignatures.pack(new float[][] {t}, 0, 1);
    byte[] query = TokenSignatures.pack(new float[][] {t, negate(t)}, 0, 2); // best matches: 1 and -1
    assertThat(TokenSignatures.maxSim(query, doc, new double[] {1, 0})).isEqualTo(1.0);
    assertThat(TokenSignatures.maxSim(query, doc, new double[] {0, 2})).isEqualTo(-1.0);
    assertThat(TokenSignatures.maxSim(query, doc, new double[] {3, 1})).isCloseTo(0.5, within(1e-9));
    assertThat(TokenSignatures.maxSim(query, doc, null)).isEqualTo(TokenSignatures.maxSim(query, doc));
    assertThat(TokenSignatures.maxSim(query, doc, new double[] {0, 0})).isNaN();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenSignatures.maxSim(query, doc, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 weights for 2 query tokens");
  }

  /** MaxSim straight from the float states' signs, as the definition reads. */
  private static double reference(float[][] q, float[][] d) {
    double sum = 0;
    for (float[] qt : q) {
      double best = -1;
      for (float[] dt : d) {
        int agree = 0;
        for (int i = 0; i < qt.length; i++) if ((qt[i] > 0) == (dt[i] > 0)) agree++;
        int bits = (qt.length + 63) / 64 * 64; // padding bits agree (both zero)
        best = Math.max(best, (2.0 * (agree + bits - qt.length) - bits) / bits);
      }
      sum += best;
    }
    return sum / q.length;
  }

  @Test
  void theFastPathFor384DimensionsAndTheGeneralOneAgreeWithTheDefinition() {
    Random r = new Random(4);
    for (int dim : new int[] {384, 128, 100}) {
      float[][] q = random(r, 7, dim);
      float[][] d = random(r, 33, dim);
      assertThat(TokenSignatures.maxSim(TokenSignatures.pack(q, 0, 7), TokenSignatures.pack(d, 0, 33)))
          .as("%d dimensions", dim).isCloseTo(reference(q, d), within(1e-12));
    }
  }
}
