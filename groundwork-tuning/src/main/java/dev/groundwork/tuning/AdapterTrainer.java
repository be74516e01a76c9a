package dev.groundwork.tuning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.lucene.util.VectorUtil;

/**
 * Trains a {@link QueryAdapter} in Java, on the CPU, from (query, relevant document) pairs over a
 * frozen embedder's vectors.
 *
 * <p>A document scores as its best chunk: {@code s(q, d) = max_c normalize(W q) · c}. The loss is a
 * softmax cross-entropy at temperature {@code τ} with the relevant documents as the target (shared
 * equally when a query has several) against many negatives: the whole corpus when it has at most
 * {@link Settings#wholeCorpusLimit} documents, otherwise the query's hard negatives (its nearest
 * documents under the untrained embedder, plus any the caller mined, e.g. from BM25) and the other
 * queries' relevant documents in its batch. A pull {@code λ‖W − I‖²} keeps the map near the identity
 * it starts from. Adam, mini-batches of queries in a seeded order, the batch's queries spread over
 * {@code threads}. After each epoch the dev split's dense nDCG@10 is measured; training stops when it
 * has not improved for {@link Settings#patience} epochs, and the best epoch's adapter is returned.
 */
public final class AdapterTrainer {
  /**
   * The searchable side, fixed during training.
   *
   * @param chunks unit-length chunk vectors
   * @param chunkDoc the document (index into 0..documents-1) each chunk belongs to
   */
  public record Corpus(int dim, float[][] chunks, int[] chunkDoc, int documents) {
    public Corpus {
      if (chunks.length != chunkDoc.length) throw new IllegalArgumentException(chunks.length + " chunk vectors but " + chunkDoc.length + " chunk documents");
      for (float[] c : chunks) if (c.length != dim) throw new IllegalArgumentException("a chunk vector has " + c.length + " dimensions, not " + dim);
      for (int d : chunkDoc) if (d < 0 || d >= documents) throw new IllegalArgumentException("chunk document " + d + " is outside 0.." + (documents - 1));
    }

    /** The chunks of each document. */
    int[][] byDocument() {
      int[] n = new int[documents];
      for (int d : chunkDoc) n[d]++;
      int[][] out = new int[documents][];
      for (int d = 0; d < documents; d++) out[d] = new int[n[d]];
      Arrays.fill(n, 0);
      for (int c = 0; c < chunkDoc.length; c++) out[chunkDoc[c]][n[chunkDoc[c]]++] = c;
      return out;
    }
  }

  /**
   * Queries with their relevant documents.
   *
   * @param queries query vectors from the frozen embedder
   * @param relevant per query, the indices of its relevant documents (at least one)
   * @param hardNegatives per query, documents to use as negatives besides the mined ones (may be null)
   */
  public record Pairs(float[][] queries, int[][] relevant, int[][] hardNegatives) {
    public Pairs {
      if (queries.length != relevant.length) throw new IllegalArgumentException(queries.length + " queries but " + relevant.length + " relevance lists");
      for (int[] r : relevant) if (r.length == 0) throw new IllegalArgumentException("a query has no relevant document");
    }

    public Pairs(float[][] queries, int[][] relevant) {
      this(queries, relevant, null);
    }

    public int size() {
      return queries.length;
    }
  }

  /**
   * @param temperature τ of the softmax over cosine scores
   * @param identityPull λ of the pull towards the identity
   * @param wholeCorpusLimit up to this many documents every document is a negative for every query
   * @param minedNegatives otherwise, the nearest documents per query kept as hard negatives
   */
  public record Settings(double temperature, double learningRate, double identityPull, int batchSize, int maxEpochs, int patience,
      int wholeCorpusLimit, int minedNegatives, long seed) {
    public Settings {
      if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
      if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
      if (!(identityPull >= 0)) throw new IllegalArgumentException("identity pull must be >= 0, got " + identityPull);
      if (batchSize < 1 || maxEpochs < 1 || patience < 1) throw new IllegalArgumentException("batch size, epochs and patience must be >= 1");
    }

    /** The defaults, and how they were chosen: see the README's "retrieval adapters" section. */
    public static Settings defaults() {
      return new Settings(0.05, 1e-3, 0.0, 32, 40, 4, 50_000, 200, 13);
    }

    /**
     * For questions about documents no training question was about: the 10 nearest documents and the
     * batch's other positives as negatives (instead of the whole corpus, whose rare positives teach which
     * documents get asked about), and a learning rate of 1e-4. Chosen on the SciFact train dev split's queries
     * whose documents the rest of train never judged (see the README).
     */
    public static Settings forNewDocuments() {
      return defaults().withWholeCorpusLimit(0, 10).withLearningRate(1e-4);
    }

    public Settings withLearningRate(double lr) {
      return new Settings(temperature, lr, identityPull, batchSize, maxEpochs, patience, wholeCorpusLimit, minedNegatives, seed);
    }

    public Settings withTemperature(double t) {
      return new Settings(t, learningRate, identityPull, batchSize, maxEpochs, patience, wholeCorpusLimit, minedNegatives, seed);
    }

    public Settings withIdentityPull(double l) {
      return new Settings(temperature, learningRate, l, batchSize, maxEpochs, patience, wholeCorpusLimit, minedNegatives, seed);
    }

    public Settings withEpochs(int max, int pat) {
      return new Settings(temperature, learningRate, identityPull, batchSize, max, pat, wholeCorpusLimit, minedNegatives, seed);
    }

    public Settings withWholeCorpusLimit(int limit, int mined) {
      return new Settings(temperature, learningRate, identityPull, batchSize, maxEpochs, patience, limit, mined, seed);
    }
  }

  /** One epoch: mean training loss, the dev metric after it, and its time. */
  public record Epoch(int epoch, double loss, double devNdcg10, double seconds) {}

  /**
   * @param startDevNdcg10 dev nDCG@10 of the identity (the untuned embedder)
   * @param wholeCorpus whether every document was a negative
   */
  public record Result(QueryAdapter adapter, int bestEpoch, double startDevNdcg10, double bestDevNdcg10, List<Epoch> epochs, boolean wholeCorpus,
      double seconds) {}

  private AdapterTrainer() {}

  public static Result train(Corpus corpus, Pairs train, Pairs dev, Settings s, int threads, Consumer<Epoch> progress) {
    long t0 = System.nanoTime();
    int dim = corpus.dim();
    check(corpus, train, "training");
    check(corpus, dev, "dev");
    int[][] docChunks = corpus.byDocument();
    boolean whole = corpus.documents() <= s.wholeCorpusLimit();
    int[][] candidates = whole ? null : mine(corpus, docChunks, train, s.minedNegatives());
    float[] w = QueryAdapter.identityWeights(dim);
    double[] m = new double[dim * dim], v = new double[dim * dim];
    double start = ndcg10(new QueryAdapter(dim, w), corpus, docChunks, dev), best = start;
    float[] bestW = w.clone();
    int bestEpoch = 0, since = 0, step = 0;
    List<Epoch> epochs = new ArrayList<>();
    Random rnd = new Random(s.seed());
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "groundwork-adapter-train");
      t.setDaemon(true);
      return t;
    });
    try {
      for (int epoch = 1; epoch <= s.maxEpochs(); epoch++) {
        long e0 = System.nanoTime();
        shuffle(order, rnd);
        double lossSum = 0;
        for (int b = 0; b < order.length; b += s.batchSize()) {
          int[] batch = Arrays.copyOfRange(order, b, Math.min(order.length, b + s.batchSize()));
          float[] grad = new float[dim * dim];
          lossSum += batchGradient(pool, Math.max(1, threads), corpus, docChunks, train, candidates, batch, w, s.temperature(), grad);
          step++;
          adam(w, grad, m, v, batch.length, s, step);
        }
        double dn = ndcg10(new QueryAdapter(dim, w), corpus, docChunks, dev);
        Epoch e = new Epoch(epoch, lossSum / order.length, dn, (System.nanoTime() - e0) / 1e9);
        epochs.add(e);
        progress.accept(e);
        if (dn > best) {
          best = dn;
          bestW = w.clone();
          bestEpoch = epoch;
          since = 0;
        } else if (++since >= s.patience()) {
          break;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(new QueryAdapter(dim, bestW), bestEpoch, start, best, epochs, whole, (System.nanoTime() - t0) / 1e9);
  }

  private static void check(Corpus corpus, Pairs p, String what) {
    for (int i = 0; i < p.size(); i++) {
      if (p.queries()[i].length != corpus.dim()) throw new IllegalArgumentException(what + " query " + i + " has " + p.queries()[i].length + " dimensions, not " + corpus.dim());
      for (int d : p.relevant()[i]) if (d < 0 || d >= corpus.documents()) throw new IllegalArgumentException(what + " query " + i + " names document " + d + ", outside the corpus");
    }
  }

  /** Per training query: its nearest documents under the untrained embedder that are not relevant to it, plus the caller's. */
  private static int[][] mine(Corpus corpus, int[][] docChunks, Pairs train, int n) {
    int[][] out = new int[train.size()][];
    for (int i = 0; i < train.size(); i++) {
      float[] ds = documentScores(train.queries()[i], corpus, docChunks);
      java.util.Set<Integer> rel = new java.util.HashSet<>();
      for (int d : train.relevant()[i]) rel.add(d);
      int[] top = topByPartialSort(ds, n + rel.size());
      java.util.LinkedHashSet<Integer> c = new java.util.LinkedHashSet<>();
      for (int d : top) if (!rel.contains(d) && c.size() < n) c.add(d);
      if (train.hardNegatives() != null && train.hardNegatives()[i] != null) for (int d : train.hardNegatives()[i]) if (!rel.contains(d)) c.add(d);
      out[i] = c.stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  /** Adds the batch's summed gradient into {@code grad}; returns its summed loss. */
  private static double batchGradient(ExecutorService pool, int threads, Corpus corpus, int[][] docChunks, Pairs train, int[][] candidates, int[] batch,
      float[] w, double tau, float[] grad) {
    int dim = corpus.dim();
    int parts = Math.min(threads, batch.length);
    List<Future<double[]>> futures = new ArrayList<>();
    List<float[]> grads = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      float[] g = p == 0 ? grad : new float[dim * dim];
      grads.add(g);
      int part = p;
      futures.add(pool.submit(() -> {
        double loss = 0;
        for (int k = part; k < batch.length; k += parts) loss += queryGradient(corpus, docChunks, train, candidates, batch, batch[k], w, tau, g);
        return new double[] {loss};
      }));
    }
    double loss = 0;
    try {
      for (Future<double[]> f : futures) loss += f.get()[0];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("adapter training interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("adapter training failed: " + e.getCause(), e.getCause());
    }
    for (int p = 1; p < parts; p++) {
      float[] g = grads.get(p);
      for (int i = 0; i < g.length; i++) grad[i] += g[i];
    }
    return loss;
  }

  /** One query's loss; its gradient with respect to W is added to {@code grad}. */
  private static double queryGradient(Corpus corpus, int[][] docChunks, Pairs train, int[][] candidates, int[] batch, int qi, float[] w, double tau,
      float[] grad) {
    int dim = corpus.dim();
    float[] q = train.queries()[qi];
    float[] raw = QueryAdapter.multiply(w, dim, q);
    double norm = 0;
    for (float x : raw) norm += (double) x * x;
    norm = Math.sqrt(norm);
    float[] qh = new float[dim];
    for (int i = 0; i < dim; i++) qh[i] = (float) (raw[i] / norm);
    int[] docs = candidates == null ? null : withBatchPositives(candidates[qi], train, batch, qi);
    int nd = docs == null ? corpus.documents() : docs.length;
    double[] z = new double[nd];
    int[] arg = new int[nd];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < nd; k++) {
      int d = docs == null ? k : docs[k];
      float bestScore = Float.NEGATIVE_INFINITY;
      int bestChunk = -1;
      for (int c : docChunks[d]) {
        float sc = VectorUtil.dotProduct(qh, corpus.chunks()[c]);
        if (sc > bestScore) {
          bestScore = sc;
          bestChunk = c;
        }
      }
      z[k] = bestChunk < 0 ? Double.NEGATIVE_INFINITY : bestScore / tau;
      arg[k] = bestChunk;
      max = Math.max(max, z[k]);
    }
    double sum = 0;
    for (int k = 0; k < nd; k++) sum += (z[k] = Math.exp(z[k] - max));
    // target: the relevant documents share the probability mass equally
    int[] rel = train.relevant()[qi];
    double share = 1.0 / rel.length;
    double loss = 0;
    double[] coef = new double[nd];
    for (int k = 0; k < nd; k++) coef[k] = z[k] / sum;
    for (int j = 0; j < rel.length; j++) {
      // the whole corpus is indexed by document; a candidate list starts with the query's own relevant documents
      int k = docs == null ? rel[j] : j;
      if (arg[k] < 0) continue;
      loss -= share * Math.log(Math.max(coef[k], 1e-30));
      coef[k] -= share;
    }
    // dL/dqh = sum_d (p_d - y_d) / tau * c_arg(d); terms too small to matter are skipped
    float[] dqh = new float[dim];
    for (int k = 0; k < nd; k++) {
      double g = coef[k] / tau;
      if (Math.abs(g) < 1e-7 || arg[k] < 0) continue;
      float[] c = corpus.chunks()[arg[k]];
      float gf = (float) g;
      for (int i = 0; i < dim; i++) dqh[i] += gf * c[i];
    }
    // through the normalisation: dL/draw = (dqh - qh (qh·dqh)) / |raw|
    float dot = VectorUtil.dotProduct(qh, dqh);
    for (int i = 0; i < dim; i++) dqh[i] = (float) ((dqh[i] - qh[i] * dot) / norm);
    // dL/dW = dL/draw ⊗ q
    for (int i = 0; i < dim; i++) {
      float gi = dqh[i];
      if (gi == 0) continue;
      int row = i * dim;
      for (int j = 0; j < dim; j++) grad[row + j] += gi * q[j];
    }
    return loss;
  }

  private static int[] withBatchPositives(int[] negatives, Pairs train, int[] batch, int qi) {
    java.util.LinkedHashSet<Integer> c = new java.util.LinkedHashSet<>();
    for (int d : train.relevant()[qi]) c.add(d);
    for (int d : negatives) c.add(d);
    for (int other : batch) if (other != qi) for (int d : train.relevant()[other]) c.add(d);
    return c.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void adam(float[] w, float[] grad, double[] m, double[] v, int batchSize, Settings s, int step) {
    double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    double c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
    int dim = (int) Math.round(Math.sqrt(w.length));
    for (int i = 0; i < w.length; i++) {
      double g = grad[i] / batchSize;
      if (s.identityPull() > 0) g += 2 * s.identityPull() * (w[i] - (i / dim == i % dim ? 1 : 0));
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      w[i] -= (float) (s.learningRate() * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps));
    }
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Each document's best chunk score for the (already adapted) unit query {@code qh}. */
  static float[] documentScores(float[] qh, Corpus corpus, int[][] docChunks) {
    float[] out = new float[corpus.documents()];
    Arrays.fill(out, Float.NEGATIVE_INFINITY);
    for (int c = 0; c < corpus.chunks().length; c++) {
      float sc = VectorUtil.dotProduct(qh, corpus.chunks()[c]);
      int d = corpus.chunkDoc()[c];
      if (sc > out[d]) out[d] = sc;
    }
    return out;
  }

  /** Mean dense nDCG@10 (binary relevance, documents scored by their best chunk) of {@code pairs} with {@code adapter}. */
  public static double ndcg10(QueryAdapter adapter, Corpus corpus, Pairs pairs) {
    return ndcg10(adapter, corpus, corpus.byDocument(), pairs);
  }

  private static double ndcg10(QueryAdapter adapter, Corpus corpus, int[][] docChunks, Pairs pairs) {
    double[] per = perQueryNdcg10(adapter, corpus, docChunks, pairs);
    double s = 0;
    for (double x : per) s += x;
    return per.length == 0 ? 0 : s / per.length;
  }

  /** Per query dense nDCG@10, for paired tests. */
  public static double[] perQueryNdcg10(QueryAdapter adapter, Corpus corpus, Pairs pairs) {
    return perQueryNdcg10(adapter, corpus, corpus.byDocument(), pairs);
  }

  private static double[] perQueryNdcg10(QueryAdapter adapter, Corpus corpus, int[][] docChunks, Pairs pairs) {
    double[] out = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      float[] qh = adapter.apply(pairs.queries()[i]);
      int[] ranked = topByPartialSort(documentScores(qh, corpus, docChunks), 10);
      java.util.Set<Integer> rel = new java.util.HashSet<>();
      for (int d : pairs.relevant()[i]) rel.add(d);
      double dcg = 0, idcg = 0;
      for (int r = 0; r < ranked.length; r++) if (rel.contains(ranked[r])) dcg += 1 / (Math.log(r + 2) / Math.log(2));
      for (int r = 0; r < Math.min(10, rel.size()); r++) idcg += 1 / (Math.log(r + 2) / Math.log(2));
      out[i] = idcg == 0 ? 0 : dcg / idcg;
    }
    return out;
  }

  /** Top {@code k} indices without sorting the whole array. */
  private static int[] topByPartialSort(float[] scores, int k) {
    int n = Math.min(k, scores.length);
    int[] best = new int[n];
    float[] bs = new float[n];
    int filled = 0;
    for (int i = 0; i < scores.length; i++) {
      float s = scores[i];
      if (filled == n && !(s > bs[n - 1])) continue;
      int pos = filled < n ? filled++ : n - 1;
      while (pos > 0 && s > bs[pos - 1]) {
        bs[pos] = bs[pos - 1];
        best[pos] = best[pos - 1];
        pos--;
      }
      bs[pos] = s;
      best[pos] = i;
    }
    return best;
  }
}
