package dev.groundwork.tuning;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A learned linear map applied to query vectors only: {@code q' = normalize(W q)}. Documents keep the
 * vectors they were indexed with, so an index never needs re-embedding for an adapter: only the
 * query moves, towards the documents that the project's own pairs say are relevant. Ranking by
 * {@code (Wq)·d} is the same as ranking by {@code q·(Wᵀd)}, so a query-side map can express every
 * linear change of the similarity that a document-side map could. Immutable and thread-safe.
 *
 * <p>Stored as {@code GWADAPT1}, the dimension, then the {@code d×d} row-major weights as big-endian
 * floats.
 */
public final class QueryAdapter {
  private static final byte[] MAGIC = "GWADAPT1".getBytes(StandardCharsets.US_ASCII);

  private final int dim;
  private final float[] w;

  /** @param w row-major {@code dim×dim} weights (copied) */
  public QueryAdapter(int dim, float[] w) {
    if (dim <= 0 || w.length != dim * dim) throw new IllegalArgumentException("an adapter of dimension " + dim + " needs " + dim * dim + " weights, got " + w.length);
    this.dim = dim;
    this.w = w.clone();
  }

  /** The identity: a query comes out as it went in. */
  public static QueryAdapter identity(int dim) {
    return new QueryAdapter(dim, identityWeights(dim));
  }

  static float[] identityWeights(int dim) {
    float[] w = new float[dim * dim];
    for (int i = 0; i < dim; i++) w[i * dim + i] = 1f;
    return w;
  }

  public int dimension() {
    return dim;
  }

  /** {@code normalize(W q)}, a new unit-length vector. */
  public float[] apply(float[] q) {
    if (q.length != dim) throw new IllegalArgumentException("query vector has " + q.length + " dimensions; the adapter was trained for " + dim);
    return dev.groundwork.core.learn.Vectors.normalize(multiply(w, dim, q));
  }

  /** The weights (a copy). */
  public float[] weights() {
    return w.clone();
  }

  /** {@code W q} for row-major {@code W}. */
  static float[] multiply(float[] w, int dim, float[] q) {
    float[] out = new float[dim];
    for (int i = 0; i < dim; i++) {
      float s = 0;
      int row = i * dim;
      for (int j = 0; j < dim; j++) s += w[row + j] * q[j];
      out[i] = s;
    }
    return out;
  }


  /** Frobenius distance from the identity: how far the adapter moved queries. */
  public double distanceFromIdentity() {
    double s = 0;
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        double d = w[i * dim + j] - (i == j ? 1 : 0);
        s += d * d;
      }
    }
    return Math.sqrt(s);
  }

  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(MAGIC.length + 4 + 4 * w.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(dim);
      for (float x : w) out.writeFloat(x);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when {@code bytes} is not a whole adapter file */
  public static QueryAdapter fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) throw new IllegalArgumentException("not a query adapter (no GWADAPT1 header)");
      int dim = in.readInt();
      if (dim <= 0 || dim > 16_384 || bytes.length != MAGIC.length + 4 + 4L * dim * dim) {
        throw new IllegalArgumentException("truncated or corrupt query adapter: dimension " + dim + " in " + bytes.length + " bytes");
      }
      float[] w = new float[dim * dim];
      for (int i = 0; i < w.length; i++) {
        w[i] = in.readFloat();
        if (!Float.isFinite(w[i])) throw new IllegalArgumentException("corrupt query adapter: weight " + i + " is " + w[i]);
      }
      return new QueryAdapter(dim, w);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated query adapter: " + e.getMessage(), e);
    }
  }
}
