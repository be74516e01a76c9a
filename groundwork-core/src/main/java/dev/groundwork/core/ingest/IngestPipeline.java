package dev.groundwork.core.ingest;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.Document;
import dev.groundwork.core.spi.Chunker;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;
import dev.groundwork.core.spi.Index;
import dev.groundwork.core.spi.LoadException;
import dev.groundwork.core.spi.Loader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * load -> chunk -> embed -> index, incrementally.
 *
 * <p>Every document is stored with a hash of its bytes and of the pipeline's fingerprint (chunker
 * settings, embedder name): an unchanged file is skipped, a changed one re-indexed, and a file that
 * is gone (within the scope of the given sources) removed. Leaves of several documents are embedded
 * together in batches so all cores stay busy; with an {@link EmbeddingCache} only texts it has not
 * seen are embedded. The index is committed every {@code commitEvery}
 * documents and at the end; a process killed in between leaves the index as of the last commit
 * (each document's chunks and hash are written atomically), and the next run redoes the rest.
 * A file that cannot be read is skipped with a reason and its previously indexed version, if any,
 * is kept. Not thread-safe: one run at a time.
 */
public final class IngestPipeline {
  private final Path root;
  private final Map<String, Loader> loaders;
  private final Chunker chunker;
  private final Embedder embedder;
  private final EmbeddingCache cache;
  private final Index index;
  private final long maxFileBytes;
  private final int commitEvery;
  private final int embedBatch;
  private final boolean tokenSignatures;
  private final IngestListener listener;

  private IngestPipeline(Builder b) {
    this.root = b.root;
    this.loaders = Map.copyOf(b.loaders);
    this.chunker = b.chunker;
    this.cache = b.cache;
    this.embedder = b.cache == null ? b.embedder : new CachingEmbedder(b.embedder, b.cache);
    this.index = b.index;
    this.maxFileBytes = b.maxFileBytes;
    this.commitEvery = b.commitEvery;
    this.embedBatch = b.embedBatch;
    this.tokenSignatures = b.tokenSignatures;
    this.listener = b.listener;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The extensions the configured loaders read. */
  public Set<String> extensions() {
    return new TreeSet<>(loaders.keySet());
  }

  /** A loaded and chunked document waiting to be embedded; {@code leaves} counts its non-parent chunks. */
  private record Prepared(String id, String hash, boolean update, List<Chunk> chunks, int leaves) {
    Prepared(String id, String hash, boolean update, List<Chunk> chunks) {
      this(id, hash, update, chunks, (int) chunks.stream().filter(c -> !c.isParent()).count());
    }
  }

  /** Mutable counters of one run. */
  private final class Run {
    final long t0 = System.nanoTime();
    final List<Prepared> pending = new ArrayList<>();
    int pendingLeaves;
    final List<SourceFiles.Problem> skipped = new ArrayList<>();
    int items, done, added, updated, unchanged, deleted, chunks, embedded, cached, sinceCommit, total;

    void skip(String source, String reason) {
      skipped.add(new SourceFiles.Problem(source, reason));
      listener.skipped(source, reason);
      tick(source);
    }

    void tick(String current) {
      done++;
      listener.progressed(done, current);
    }

    IngestReport report() {
      return new IngestReport(items, added, updated, unchanged, deleted, chunks, embedded, cached, skipped,
          (System.nanoTime() - t0) / 1e9);
    }
  }

  /** Ingests files, folders and globs relative to the project root. */
  public IngestReport ingestPaths(List<String> sources) {
    SourceFiles.Expansion exp = new SourceFiles(root, loaders.keySet()).expand(sources);
    Run run = new Run();
    run.items = exp.files().size();
    Map<String, String> known = index.documents();
    listener.started(exp.files().size());
    List<SourceFiles.Problem> problems = new ArrayList<>(exp.problems());
    // a named file that is gone but was indexed is a deletion (below); one never indexed is a mistake
    for (String id : exp.missing()) if (!known.containsKey(id)) problems.add(new SourceFiles.Problem(id, "not found"));
    for (SourceFiles.Problem p : problems) {
      run.skipped.add(p);
      listener.skipped(p.source(), p.reason());
    }
    Set<String> seen = new TreeSet<>();
    for (SourceFiles.Entry e : exp.files()) {
      seen.add(e.id());
      try {
        Prepared p = prepareFile(e, known);
        if (p == null) {
          run.unchanged++;
          run.tick(e.id());
        } else {
          enqueue(run, p);
        }
      } catch (LoadException ex) {
        run.skip(e.id(), ex.getMessage());
      }
    }
    flush(run);
    for (String id : known.keySet()) {
      boolean unreadable = exp.problems().stream().anyMatch(p -> p.source().equals(id)); // keep its last good version
      if (!seen.contains(id) && exp.inScope().test(id) && !unreadable) {
        index.deleteDocument(id);
        run.deleted++;
      }
    }
    index.commit();
    listener.committed(run.added + run.updated);
    return run.report();
  }

  /** Ingests documents that are already loaded (benchmarks, APIs); never deletes. */
  public IngestReport ingestDocuments(Iterator<Document> documents, int total) {
    Run run = new Run();
    run.items = total;
    listener.started(total);
    Map<String, String> known = index.documents();
    while (documents.hasNext()) {
      Document d = documents.next();
      String hash = hash(d.text().getBytes(StandardCharsets.UTF_8), d.title());
      if (hash.equals(known.get(d.id()))) {
        run.unchanged++;
        run.tick(d.id());
        continue;
      }
      enqueue(run, new Prepared(d.id(), hash, known.containsKey(d.id()), chunker.chunk(d)));
    }
    flush(run);
    index.commit();
    return run.report();
  }

  private Prepared prepareFile(SourceFiles.Entry e, Map<String, String> known) throws LoadException {
    byte[] bytes = read(e.path());
    String hash = hash(bytes, "");
    if (hash.equals(known.get(e.id()))) return null;
    Loader loader = loaders.get(SourceFiles.extension(e.path().getFileName().toString()));
    if (loader == null) {
      if (Utf8.looksBinary(bytes)) throw new LoadException("binary file of an unsupported type");
      loader = loaders.get("txt");
      if (loader == null) throw new LoadException("unsupported file type");
    }
    Document doc;
    try {
      doc = loader.load(e.path(), e.id(), bytes);
    } catch (LoadException ex) {
      throw ex;
    } catch (RuntimeException | StackOverflowError ex) {
      throw new LoadException("cannot be parsed: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
    }
    List<Chunk> chunks = chunker.chunk(doc);
    if (chunks.isEmpty()) throw new LoadException("no text found (a scanned PDF or an empty document?)");
    return new Prepared(e.id(), hash, known.containsKey(e.id()), chunks);
  }

  private byte[] read(Path p) throws LoadException {
    try {
      long size = Files.size(p);
      if (size == 0) throw new LoadException("empty file");
      if (size > maxFileBytes) {
        throw new LoadException(String.format(java.util.Locale.ROOT, "file is %.1f MiB, over the limit of %d MiB (raise ingest.max_file_mb in groundwork.yaml)",
            size / (double) (1 << 20), maxFileBytes >> 20));
      }
      return Files.readAllBytes(p);
    } catch (java.nio.file.AccessDeniedException ex) {
      throw new LoadException("permission denied");
    } catch (IOException ex) {
      throw new LoadException("unreadable: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : " " + ex.getMessage()));
    }
  }

  private void enqueue(Run run, Prepared p) {
    run.pending.add(p);
    run.pendingLeaves += p.leaves();
    if (run.pendingLeaves >= embedBatch) flush(run);
  }

  private void flush(Run run) {
    if (run.pending.isEmpty()) return;
    List<String> texts = new ArrayList<>();
    for (Prepared p : run.pending) for (Chunk c : p.chunks()) if (!c.isParent()) texts.add(c.contextualText());
    int before = cache == null ? 0 : cache.misses();
    // without signatures the cache serves vectors only and leaves the signatures on disk
    List<Embedding> vectors = tokenSignatures ? embedder.embedDocumentsWithTokens(texts)
        : embedder.embedDocuments(texts).stream().map(Embedding::of).toList();
    int misses = cache == null ? texts.size() : cache.misses() - before;
    run.embedded += misses;
    run.cached += texts.size() - misses;
    int v = 0;
    for (Prepared p : run.pending) {
      index.replaceDocument(p.id(), p.hash(), p.chunks(), vectors.subList(v, v + p.leaves()));
      v += p.leaves();
      run.chunks += p.leaves();
      if (p.update()) run.updated++;
      else run.added++;
      run.sinceCommit++;
      run.tick(p.id());
    }
    run.pending.clear();
    run.pendingLeaves = 0;
    if (run.sinceCommit >= commitEvery) {
      if (cache != null) cache.flush();
      index.commit();
      run.sinceCommit = 0;
      listener.committed(run.added + run.updated);
    }
  }

  private String hash(byte[] content, String extra) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(content);
      md.update(extra.getBytes(StandardCharsets.UTF_8));
      md.update(chunker.fingerprint().getBytes(StandardCharsets.UTF_8));
      md.update(embedder.name().getBytes(StandardCharsets.UTF_8));
      if (!tokenSignatures) md.update((byte) 0); // turning signatures on or off re-indexes every file
      return HexFormat.of().formatHex(md.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds an {@link IngestPipeline}; {@link #build()} names the first missing or bad parameter. */
  public static final class Builder {
    private Path root = Path.of(".");
    private final java.util.HashMap<String, Loader> loaders = new java.util.HashMap<>();
    private Chunker chunker;
    private Embedder embedder;
    private EmbeddingCache cache;
    private Index index;
    private long maxFileBytes = 50L << 20;
    private int commitEvery = 200;
    private int embedBatch = 64;
    private boolean tokenSignatures = true;
    private IngestListener listener = IngestListener.NONE;

    public Builder root(Path root) { this.root = root; return this; }

    public Builder loader(Loader l) {
      for (String ext : l.extensions()) loaders.put(ext, l);
      return this;
    }

    public Builder chunker(Chunker c) { this.chunker = c; return this; }

    public Builder embedder(Embedder e) { this.embedder = e; return this; }

    /** Serve and store document embeddings through {@code c} (keyed by model and text); optional. */
    public Builder cache(EmbeddingCache c) { this.cache = c; return this; }

    public Builder index(Index i) { this.index = i; return this; }

    public Builder maxFileBytes(long n) { this.maxFileBytes = n; return this; }

    public Builder commitEvery(int n) { this.commitEvery = n; return this; }

    public Builder embedBatch(int n) { this.embedBatch = n; return this; }

    /** Store the embedder's token signatures with the leaves, for late-interaction rescoring (default true). */
    public Builder tokenSignatures(boolean on) { this.tokenSignatures = on; return this; }

    public Builder listener(IngestListener l) { this.listener = Objects.requireNonNull(l, "listener"); return this; }

    public IngestPipeline build() {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(chunker, "chunker");
      Objects.requireNonNull(embedder, "embedder");
      Objects.requireNonNull(index, "index");
      if (maxFileBytes < 1) throw new IllegalArgumentException("maxFileBytes must be >= 1, got " + maxFileBytes);
      if (commitEvery < 1) throw new IllegalArgumentException("commitEvery must be >= 1, got " + commitEvery);
      if (embedBatch < 1) throw new IllegalArgumentException("embedBatch must be >= 1, got " + embedBatch);
      root = root.toAbsolutePath().normalize();
      return new IngestPipeline(this);
    }
  }
}
