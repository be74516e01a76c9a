package dev.groundwork.core.retrieve;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Binary token signatures for late interaction: one sign bit per dimension of each token's
 * contextual state, so a 384-dimension model costs 48 bytes per token. Two texts are compared by
 * MaxSim (as in ColBERT): each query token finds its most similar document token, where similarity is
 * the fraction of agreeing bits mapped to [-1, 1], and the query's score is the mean over its tokens.
 *
 * <p>Layout: byte 0 holds the number of 64-bit words per token ({@code ceil(dimension / 64)}, 1..255),
 * then the tokens follow, each as that many little-endian longs. Unused high bits are zero in every
 * signature of a model, so they never count as a difference.
 */
public final class TokenSignatures {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private TokenSignatures() {}

  /** Packs the signs of {@code states[from..to)} (token states of one text). Empty when the range is empty. */
  public static byte[] pack(float[][] states, int from, int to) {
    if (from >= to) return new byte[0];
    int dim = states[from].length;
    int words = (dim + 63) / 64;
    if (words > 255) throw new IllegalArgumentException("token states of " + dim + " dimensions are too wide for a signature");
    byte[] out = new byte[1 + (to - from) * words * 8];
    out[0] = (byte) words;
    int at = 1;
    for (int t = from; t < to; t++) {
      float[] s = states[t];
      for (int w = 0; w < words; w++) {
        long bits = 0;
        for (int b = 0, d = w * 64; b < 64 && d < dim; b++, d++) if (s[d] > 0) bits |= 1L << b;
        LONGS.set(out, at, bits);
        at += 8;
      }
    }
    return out;
  }

  /** Number of tokens in {@code signature} (0 for an empty or malformed one). */
  public static int tokens(byte[] signature) {
    if (signature.length < 9) return 0;
    int words = signature[0] & 0xff;
    if (words == 0 || (signature.length - 1) % (words * 8) != 0) return 0;
    return (signature.length - 1) / (words * 8);
  }

  /**
   * MaxSim of a query signature against a document signature, in [-1, 1]; {@link Double#NaN} when
   * either is empty or they come from models of different widths.
   */
  public static double maxSim(byte[] query, byte[] doc) {
    return maxSim(query, doc, null);
  }

  /**
   * MaxSim with the query's tokens weighted: the weighted mean of each token's best match.
   * {@code weights} (one per query token, >= 0, not all 0) may be null for equal weights.
   */
  public static double maxSim(byte[] query, byte[] doc, double[] weights) {
    int nq = tokens(query);
    int nd = tokens(doc);
    if (nq == 0 || nd == 0 || query[0] != doc[0]) return Double.NaN;
    if (weights != null && weights.length != nq) throw new IllegalArgumentException(weights.length + " weights for " + nq + " query tokens");
    int words = query[0] & 0xff;
    long[] q = longs(query, nq * words);
    long[] d = longs(doc, nd * words);
    int[] best = words == 6 ? minDistances6(q, nq, d, nd) : minDistances(q, nq, d, nd, words);
    int bits = words * 64;
    double total = 0;
    double weightSum = 0;
    for (int qt = 0; qt < nq; qt++) {
      double weight = weights == null ? 1 : weights[qt];
      total += weight * (1.0 - 2.0 * best[qt] / bits);
      weightSum += weight;
    }
    return weightSum > 0 ? total / weightSum : Double.NaN;
  }

  private static long[] longs(byte[] signature, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) out[i] = (long) LONGS.get(signature, 1 + i * 8);
    return out;
  }

  /** For each query token, the fewest differing bits to any document token. */
  private static int[] minDistances(long[] q, int nq, long[] d, int nd, int words) {
    int[] best = new int[nq];
    java.util.Arrays.fill(best, Integer.MAX_VALUE);
    for (int dt = 0; dt < nd; dt++) {
      int db = dt * words;
      for (int qt = 0; qt < nq; qt++) {
        int qb = qt * words;
        int h = 0;
        for (int w = 0; w < words; w++) h += Long.bitCount(q[qb + w] ^ d[db + w]);
        if (h < best[qt]) best[qt] = h;
      }
    }
    return best;
  }

  /** {@link #minDistances} for 384 dimensions (bge-small, MiniLM): the document token stays in registers. */
  private static int[] minDistances6(long[] q, int nq, long[] d, int nd) {
    int[] best = new int[nq];
    java.util.Arrays.fill(best, Integer.MAX_VALUE);
    for (int db = 0; db < nd * 6; db += 6) {
      long d0 = d[db], d1 = d[db + 1], d2 = d[db + 2], d3 = d[db + 3], d4 = d[db + 4], d5 = d[db + 5];
      for (int qt = 0, qb = 0; qt < nq; qt++, qb += 6) {
        int h = Long.bitCount(q[qb] ^ d0) + Long.bitCount(q[qb + 1] ^ d1) + Long.bitCount(q[qb + 2] ^ d2)
            + Long.bitCount(q[qb + 3] ^ d3) + Long.bitCount(q[qb + 4] ^ d4) + Long.bitCount(q[qb + 5] ^ d5);
        if (h < best[qt]) best[qt] = h;
      }
    }
    return best;
  }
}
