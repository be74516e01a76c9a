package dev.groundwork.tuning;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.lucene.util.VectorUtil;

/**
 * A learned linear map applied to query vectors only: {@code q' = normalize(W q)}. Documents keep the
 * vectors they were indexed with, so an index never needs re-embedding for an adapter: only the
 * query moves, towards the documents that the project's own pairs say are relevant. Ranking by
 * {@code (Wq)·d} is the same as ranking by {@code q·(Wᵀd)}, so a query-side map can express every
 * linear change of the similarity that a document-side map could. Immutable and thread-safe.
 *
 * <p>An adapter may have a <em>scope</em>: the questions it was trained on (their unadapted vectors,
 * the anchors) and a threshold. A query whose highest cosine similarity to an anchor is below the
 * threshold is not like anything the adapter learned from, and comes out as it went in (see
 * {@link AdapterScope} for how the threshold is chosen).
 *
 * <p>Stored as {@code GWADAPT1}, the dimension, then the {@code d×d} row-major weights as big-endian
 * floats; a scoped adapter as {@code GWADAPT2}, the same, then the anchor count, the threshold and
 * the anchors' {@code count×d} floats.
 */
public final class QueryAdapter {
  private static final byte[] MAGIC = "GWADAPT1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAGIC_SCOPED = "GWADAPT2".getBytes(StandardCharsets.US_ASCII);
  /** More anchors than this would cost a query more than the adapter itself several times over. */
  public static final int MAX_ANCHORS = 4096;

  private final int dim;
  private final float[] w;
  /** Unit anchors, row-major {@code n×dim}; empty when the adapter applies to every query. */
  private final float[] anchors;
  private final float threshold;
  private final float[][] wRows;
  private final float[][] anchorRows;

  /** @param w row-major {@code dim×dim} weights (copied) */
  public QueryAdapter(int dim, float[] w) {
    this(dim, w, new float[0], 0f);
  }

  private QueryAdapter(int dim, float[] w, float[] anchors, float threshold) {
    if (dim <= 0 || w.length != dim * dim) throw new IllegalArgumentException("an adapter of dimension " + dim + " needs " + dim * dim + " weights, got " + w.length);
    if (anchors.length % dim != 0 || anchors.length / dim > MAX_ANCHORS) {
      throw new IllegalArgumentException("a scope needs whole anchors of dimension " + dim + ", at most " + MAX_ANCHORS + "; got " + anchors.length + " floats");
    }
    if (!(threshold >= -1 && threshold <= 1)) throw new IllegalArgumentException("a scope's threshold is a cosine similarity in [-1, 1], got " + threshold);
    this.dim = dim;
    this.w = w.clone();
    this.anchors = anchors;
    this.threshold = threshold;
    this.wRows = rows(this.w, dim);
    this.anchorRows = rows(anchors, dim);
  }

  /** The same floats as rows of {@code dim}, for the SIMD dot products of {@link VectorUtil}. */
  private static float[][] rows(float[] flat, int dim) {
    float[][] out = new float[flat.length / dim][];
    for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
    return out;
  }

  /**
   * This adapter, applied only to queries whose cosine similarity to at least one of {@code anchors}
   * (the unadapted vectors of the questions it was trained on) is {@code threshold} or more.
   */
  public QueryAdapter scoped(float[][] anchors, double threshold) {
    if (anchors.length == 0) throw new IllegalArgumentException("a scope needs at least one anchor");
    float[] flat = new float[anchors.length * dim];
    for (int i = 0; i < anchors.length; i++) {
      if (anchors[i].length != dim) throw new IllegalArgumentException("anchor " + i + " has " + anchors[i].length + " dimensions; the adapter has " + dim);
      float[] a = dev.groundwork.core.learn.Vectors.normalize(anchors[i].clone());
      System.arraycopy(a, 0, flat, i * dim, dim);
    }
    return new QueryAdapter(dim, w, flat, (float) threshold);
  }

  /** Whether the adapter applies to some queries only (see {@link #scoped}). */
  public boolean isScoped() {
    return anchors.length > 0;
  }

  /** The anchors of its scope; 0 when unscoped. */
  public int anchorCount() {
    return anchors.length / dim;
  }

  /** The scope's threshold; meaningless when unscoped. */
  public double threshold() {
    return threshold;
  }

  /** {@code q}'s highest cosine similarity to an anchor; 1 when unscoped (every query is in scope). */
  public double similarity(float[] q) {
    if (!isScoped()) return 1;
    float[] u = dev.groundwork.core.learn.Vectors.normalize(q.clone());
    float best = -1;
    for (float[] a : anchorRows) best = Math.max(best, VectorUtil.dotProduct(a, u));
    return best;
  }

  /** Whether {@link #apply} moves {@code q}: always when unscoped. */
  public boolean inScope(float[] q) {
    return similarity(q) >= threshold;
  }

  /** The same map without its scope: it applies to every query. */
  public QueryAdapter unscoped() {
    return isScoped() ? new QueryAdapter(dim, w) : this;
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

  /** {@code normalize(W q)}, a new unit-length vector; for a query outside the scope, {@code q} normalized (a copy). */
  public float[] apply(float[] q) {
    if (q.length != dim) throw new IllegalArgumentException("query vector has " + q.length + " dimensions; the adapter was trained for " + dim);
    if (!inScope(q)) return dev.groundwork.core.learn.Vectors.normalize(q.clone());
    float[] out = new float[dim];
    for (int i = 0; i < dim; i++) out[i] = VectorUtil.dotProduct(wRows[i], q);
    return dev.groundwork.core.learn.Vectors.normalize(out);
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(MAGIC.length + 12 + 4 * (w.length + anchors.length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(isScoped() ? MAGIC_SCOPED : MAGIC);
      out.writeInt(dim);
      for (float x : w) out.writeFloat(x);
      if (isScoped()) {
        out.writeInt(anchorCount());
        out.writeFloat(threshold);
        for (float x : anchors) out.writeFloat(x);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when {@code bytes} is not a whole adapter file */
  public static QueryAdapter fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      boolean scoped = Arrays.equals(magic, MAGIC_SCOPED);
      if (!scoped && !Arrays.equals(magic, MAGIC)) throw new IllegalArgumentException("not a query adapter (no GWADAPT1 or GWADAPT2 header)");
      int dim = in.readInt();
      long weightsEnd = MAGIC.length + 4 + 4L * dim * dim;
      if (dim <= 0 || dim > 16_384 || (scoped ? bytes.length < weightsEnd + 8 : bytes.length != weightsEnd)) {
        throw new IllegalArgumentException("truncated or corrupt query adapter: dimension " + dim + " in " + bytes.length + " bytes");
      }
      float[] w = readFinite(in, dim * dim, "weight");
      if (!scoped) return new QueryAdapter(dim, w);
      int n = in.readInt();
      float threshold = in.readFloat();
      if (n < 1 || n > MAX_ANCHORS || bytes.length != weightsEnd + 8 + 4L * n * dim) {
        throw new IllegalArgumentException("truncated or corrupt query adapter: " + n + " anchors of dimension " + dim + " in " + bytes.length + " bytes");
      }
      if (!(threshold >= -1 && threshold <= 1)) throw new IllegalArgumentException("corrupt query adapter: scope threshold " + threshold);
      return new QueryAdapter(dim, w, readFinite(in, n * dim, "anchor value"), threshold);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated query adapter: " + e.getMessage(), e);
    }
  }

  private static float[] readFinite(DataInputStream in, int n, String what) throws IOException {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = in.readFloat();
      if (!Float.isFinite(out[i])) throw new IllegalArgumentException("corrupt query adapter: " + what + " " + i + " is " + out[i]);
    }
    return out;
  }
}
