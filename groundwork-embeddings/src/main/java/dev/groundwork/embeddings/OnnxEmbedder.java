package dev.groundwork.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.groundwork.core.retrieve.TokenSignatures;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A BERT-family embedder on ONNX Runtime.
 *
 * <p>Throughput on few cores comes from three choices: one single-threaded ONNX session per worker
 * (so cores never contend inside one operator), texts sorted by token length before batching (so a
 * batch pads to similar lengths and no work is wasted on padding), and small batches spread over the
 * workers. Outputs are L2-normalised, so dot product equals cosine. Texts longer than the model's
 * window are truncated. The same forward pass also yields each text's token signature (the signs of
 * its contextual token states, {@link TokenSignatures}) for late-interaction rescoring, at no extra
 * model cost; special tokens and a query's instruction prefix are left out of it. Thread-safe;
 * {@link #close()} releases the sessions.
 */
public final class OnnxEmbedder implements Embedder {
  private static final int BATCH = 8;

  private final EmbeddingModel model;
  private final HuggingFaceTokenizer tokenizer;
  private final BlockingQueue<OrtSession> sessions;
  private final ExecutorService workers;
  private final OrtEnvironment env;
  private final int maxSessions;
  /** Sessions made so far; more are made only when every one is busy (a query needs one, ingest one per thread). */
  private int created;
  /** The model graph as a file in the user's cache, or null when it could not be extracted (then {@link #onnx}). */
  private final java.nio.file.Path onnxFile;
  /** Where ONNX Runtime's optimized graph is kept for this CPU, or null when it is not kept. */
  private final java.nio.file.Path optimized;
  /** The model's bytes when there is no file, kept until the last session is made. */
  private byte[] onnx;

  private OnnxEmbedder(EmbeddingModel model, int threads) {
    this.model = model;
    ExtractedFiles.prepareOnnxRuntime();
    // warnings only (saving an optimized graph logs a notice we act on: the cache is per machine)
    this.env = OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "groundwork");
    try (InputStream tok = resource(model.tokenizerResource())) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of(
          "truncation", "true", "padding", "false", "maxLength", String.valueOf(model.maxTokens())));
      this.onnxFile = ExtractedFiles.extract(model.onnxResource(), "models").orElse(null);
      this.optimized = onnxFile == null ? null : ExtractedFiles.optimizedModel(onnxFile).orElse(null);
      if (onnxFile == null) {
        try (InputStream in = resource(model.onnxResource())) {
          onnx = in.readAllBytes();
        }
      }
      this.maxSessions = threads;
      this.sessions = new ArrayBlockingQueue<>(threads);
      sessions.add(newSession()); // the first one now, so that a model that cannot load fails here
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read embedding model " + model.name() + ": " + e.getMessage(), e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load embedding model " + model.name() + " into ONNX Runtime: " + e.getMessage(), e);
    }
    this.workers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "embedder-" + model.name());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads a shipped model.
   *
   * @param threads worker sessions, 1..64; use the number of cores for ingest
   */
  public static OnnxEmbedder load(String name, int threads) {
    if (threads < 1 || threads > 64) throw new IllegalArgumentException("embedder threads must be in 1..64, got " + threads);
    return new OnnxEmbedder(EmbeddingModel.named(name), threads);
  }

  /** Must hold the lock or be in the constructor. */
  private OrtSession newSession() throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(1);
    o.setInterOpNumThreads(1);
    OrtSession session;
    if (optimized != null && java.nio.file.Files.isRegularFile(optimized)) {
      // the graph as ONNX Runtime optimized it on this machine before: the same graph, without the work
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      session = env.createSession(optimized.toString(), o);
    } else {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      java.nio.file.Path tmp = optimized == null ? null : optimized.resolveSibling(optimized.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      if (tmp != null) o.setOptimizedModelFilePath(tmp.toString());
      session = onnxFile != null ? env.createSession(onnxFile.toString(), o) : env.createSession(onnx, o);
      if (tmp != null) ExtractedFiles.publish(tmp, optimized);
    }
    if (++created == maxSessions) onnx = null;
    return session;
  }

  /** A free session; a new one while fewer than the thread count exist; else waits for one. */
  private OrtSession takeSession() throws InterruptedException, OrtException {
    OrtSession s = sessions.poll();
    if (s != null) return s;
    synchronized (this) {
      if (created < maxSessions) return newSession();
    }
    return sessions.take();
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = OnnxEmbedder.class.getClassLoader().getResourceAsStream(name);
    if (in == null) throw new IOException("resource " + name + " is not on the class path (is its Maven artifact missing?)");
    return in;
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public int countTokens(String text) {
    return tokenizer.encode(text).getIds().length;
  }

  @Override
  public float[] embedQuery(String query) {
    return embed(List.of(model.queryPrefix() + query), false, true).get(0).vector();
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (Embedding e : embed(texts, false, false)) out.add(e.vector());
    return out;
  }

  @Override
  public boolean tokenSignatures() {
    return true;
  }

  @Override
  public List<Embedding> embedDocumentsWithTokens(List<String> texts) {
    return embed(texts, true, false);
  }

  @Override
  public Embedding embedQueryWithTokens(String query) {
    return embed(List.of(model.queryPrefix() + query), true, true).get(0);
  }

  /** The word (letters and digits) around {@code [start, end)} of {@code text}, or null for punctuation. */
  static String wordAt(String text, int start, int end) {
    // the tokenizer's offsets can run past the text where it replaced malformed input; clamp them
    int a = Math.clamp(start, 0, text.length());
    int b = Math.clamp(Math.max(start, end), a, text.length());
    while (a < b && !Character.isLetterOrDigit(text.charAt(a))) a++;
    if (a >= b) return null;
    while (a > 0 && Character.isLetterOrDigit(text.charAt(a - 1))) a--;
    while (b < text.length() && Character.isLetterOrDigit(text.charAt(b))) b++;
    return text.substring(a, b);
  }

  /** Embeds {@code texts}, with their token signatures when asked; a {@code query} starts with the model's prefix. */
  private List<Embedding> embed(List<String> texts, boolean signatures, boolean query) {
    int n = texts.size();
    if (n == 0) return List.of();
    Encoding[] enc = new Encoding[n];
    for (int i = 0; i < n; i++) enc[i] = tokenizer.encode(texts.get(i));
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, Comparator.comparingInt(i -> enc[i].getIds().length));
    Embedding[] out = new Embedding[n];
    Job job = new Job(texts, enc, out, signatures, query);
    if (n <= BATCH) {
      runBatch(job, Arrays.asList(order));
      return Arrays.asList(out);
    }
    List<Future<?>> futures = new ArrayList<>();
    for (int s = 0; s < n; s += BATCH) {
      List<Integer> batch = Arrays.asList(order).subList(s, Math.min(n, s + BATCH));
      futures.add(workers.submit(() -> runBatch(job, batch)));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while embedding", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("embedding failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
    return Arrays.asList(out);
  }

  private record Job(List<String> texts, Encoding[] enc, Embedding[] out, boolean signatures, boolean query) {}

  /**
   * {@code v} with the signature of text {@code i}'s token {@code states}: its own tokens, without
   * [CLS], [SEP] or a query's instruction prefix; a query's tokens also get their words.
   */
  private Embedding withSignature(Job job, int i, float[][] states, float[] v) {
    Encoding e = job.enc()[i];
    int last = e.getIds().length - 1; // [SEP]
    if (!job.query()) return new Embedding(v, TokenSignatures.pack(states, 1, last));
    String text = job.texts().get(i);
    int prefix = model.queryPrefix().length();
    CharSpan[] spans = e.getCharTokenSpans();
    int from = 1;
    while (from < last && (spans[from] == null || spans[from].getStart() < prefix)) from++;
    List<String> words = new ArrayList<>();
    for (int t = from; t < last; t++) words.add(spans[t] == null ? null : wordAt(text, spans[t].getStart(), spans[t].getEnd()));
    return new Embedding(v, TokenSignatures.pack(states, from, last), words);
  }

  private void runBatch(Job job, List<Integer> batch) {
    Encoding[] enc = job.enc();
    int b = batch.size();
    int len = 0;
    for (int i : batch) len = Math.max(len, enc[i].getIds().length);
    long[] ids = new long[b * len];
    long[] mask = new long[b * len];
    long[] types = new long[b * len];
    for (int r = 0; r < b; r++) {
      long[] x = enc[batch.get(r)].getIds();
      System.arraycopy(x, 0, ids, r * len, x.length);
      Arrays.fill(mask, r * len, r * len + x.length, 1L);
    }
    long[] shape = {b, len};
    OrtSession session;
    try {
      session = takeSession();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an embedding session", e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load embedding model " + model.name() + " into ONNX Runtime: " + e.getMessage(), e);
    }
    try (OnnxTensor tIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor tMask = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor tTypes = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
        OrtSession.Result res = session.run(Map.of("input_ids", tIds, "attention_mask", tMask, "token_type_ids", tTypes))) {
      float[][][] hidden = (float[][][]) res.get(0).getValue();
      for (int r = 0; r < b; r++) {
        int i = batch.get(r);
        float[] v = normalise(model.clsPooling() ? hidden[r][0].clone() : mean(hidden[r], enc[i].getIds().length));
        job.out()[i] = job.signatures() ? withSignature(job, i, hidden[r], v) : Embedding.of(v);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on a batch of " + b + ": " + e.getMessage(), e);
    } finally {
      sessions.add(session);
    }
  }

  private static float[] mean(float[][] tokens, int n) {
    float[] v = new float[tokens[0].length];
    for (int t = 0; t < n; t++) for (int d = 0; d < v.length; d++) v[d] += tokens[t][d];
    for (int d = 0; d < v.length; d++) v[d] /= n;
    return v;
  }

  static float[] normalise(float[] v) {
    double s = 0;
    for (float x : v) s += x * x;
    float inv = (float) (1 / Math.sqrt(Math.max(s, 1e-24)));
    for (int i = 0; i < v.length; i++) v[i] *= inv;
    return v;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    for (OrtSession s : sessions) {
      try {
        s.close();
      } catch (OrtException ignored) {
        // closing releases native memory; nothing to do if it fails
      }
    }
  }
}
