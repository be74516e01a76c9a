package dev.groundwork.index.lucene;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.spi.Embedding;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.core.spi.Index;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * The embedded index: one Lucene index on disk holding leaf chunks (BM25 over title+headings+text,
 * with an extra title field; HNSW over unit vectors with dot product, float32 or int8-quantized),
 * parent chunks (stored, not searched), and one manifest entry per document with its content hash.
 *
 * <p>A document's chunks and manifest are written with one {@code updateDocuments} call, so they
 * appear and disappear together; {@link #commit()} is Lucene's atomic two-phase commit. The commit
 * records the format ({@code groundwork-lucene} v1), embedder and dimension, which are checked on
 * open. One writer per folder at a time (Lucene's write lock); read-only opens take no lock.
 * Thread-safe.
 */
public final class LuceneIndex implements Index {
  static final String FORMAT = "groundwork-lucene";
  static final String FORMAT_VERSION = "2"; // 2: leaves carry token signatures

  private final Directory dir;
  private final IndexWriter writer; // null when read-only
  private final SearcherManager searchers;
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final LuceneIndexOptions options;
  private final BM25Similarity similarity;
  private final Path path;

  private LuceneIndex(Path path, LuceneIndexOptions options, boolean readOnly) throws IOException {
    this.path = path;
    this.options = options;
    this.similarity = new BM25Similarity(options.k1(), options.b());
    this.dir = FSDirectory.open(path);
    boolean exists = DirectoryReader.indexExists(dir);
    if (exists) checkFormat(DirectoryReader.listCommits(dir).getLast().getUserData());
    SearcherFactory sf = new SearcherFactory() {
      @Override
      public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader r, org.apache.lucene.index.IndexReader previous) {
        IndexSearcher s = new IndexSearcher(r);
        s.setSimilarity(similarity);
        return s;
      }
    };
    if (readOnly) {
      if (!exists) throw new NoIndexException("no index at " + path + "; run `groundwork ingest PATH...` first");
      this.writer = null;
      this.searchers = new SearcherManager(dir, sf);
    } else {
      IndexWriterConfig cfg = new IndexWriterConfig(analyzer);
      cfg.setSimilarity(similarity);
      cfg.setCodec(codec(options.quantized()));
      cfg.setRAMBufferSizeMB(64);
      cfg.setCommitOnClose(false);
      try {
        this.writer = new IndexWriter(dir, cfg);
      } catch (LockObtainFailedException e) {
        dir.close();
        throw new IndexLockedException("the index at " + path + " is being written by another groundwork process (an ingest, or groundwork serve: send documents to its POST /api/ingest); wait for it to finish", e);
      }
      this.searchers = new SearcherManager(writer, sf);
      writer.setLiveCommitData(commitData().entrySet());
    }
  }

  /** Opens or creates the index at {@code path} for reading and writing (takes the write lock). */
  public static LuceneIndex open(Path path, LuceneIndexOptions options) {
    try {
      Files.createDirectories(path);
      return new LuceneIndex(path, options, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the index at " + path + ": " + e.getMessage(), e);
    }
  }

  /** Opens an existing index for searching only. */
  public static LuceneIndex openReadOnly(Path path, LuceneIndexOptions options) {
    try {
      return new LuceneIndex(path, options, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the index at " + path + ": " + e.getMessage(), e);
    }
  }

  private Map<String, String> commitData() {
    Map<String, String> m = new HashMap<>();
    m.put("format", FORMAT);
    m.put("version", FORMAT_VERSION);
    m.put("embedder", options.embedder());
    m.put("dimension", String.valueOf(options.dimension()));
    return m;
  }

  private void checkFormat(Map<String, String> data) {
    if (data.isEmpty()) return; // created but never committed by us: nothing to check
    if (!FORMAT.equals(data.get("format")) || !FORMAT_VERSION.equals(data.get("version"))) {
      throw new IndexMismatchException("the index at " + path + " is not a " + FORMAT + " v" + FORMAT_VERSION
          + " index (found " + data.get("format") + " v" + data.get("version") + "); run `groundwork ingest --rebuild`");
    }
    if (!options.embedder().equals(data.get("embedder")) || !String.valueOf(options.dimension()).equals(data.get("dimension"))) {
      throw new IndexMismatchException("the index at " + path + " was built with embedder " + data.get("embedder")
          + " (" + data.get("dimension") + " dims), but " + options.embedder() + " is configured; run `groundwork ingest --rebuild` or set embedder back");
    }
  }

  private static Lucene103Codec codec(boolean quantized) {
    KnnVectorsFormat f = quantized ? new Lucene99HnswScalarQuantizedVectorsFormat() : new Lucene99HnswVectorsFormat();
    return new Lucene103Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return f;
      }
    };
  }

  private IndexWriter writer() {
    if (writer == null) throw new IllegalStateException("the index was opened read-only");
    return writer;
  }

  @Override
  public Map<String, String> documents() {
    Map<String, String> out = new TreeMap<>();
    withSearcher(s -> {
      TopDocs td = s.search(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.MANIFEST)), Math.max(1, s.getIndexReader().maxDoc()));
      StoredFields sf = s.storedFields();
      for (ScoreDoc sd : td.scoreDocs) {
        Document d = sf.document(sd.doc);
        out.put(d.get(ChunkFields.DOC_ID), d.get(ChunkFields.HASH));
      }
      return null;
    });
    return out;
  }

  @Override
  public void replaceDocument(String docId, String contentHash, List<Chunk> chunks, List<Embedding> embeddings) {
    List<Document> docs = new ArrayList<>();
    int v = 0;
    for (Chunk c : chunks) {
      if (!c.docId().equals(docId)) throw new IllegalArgumentException("chunk " + c.id() + " is not of document " + docId);
      Embedding e = null;
      if (!c.isParent()) {
        if (v >= embeddings.size()) throw new IllegalArgumentException("fewer vectors than leaves for " + docId);
        e = embeddings.get(v++);
        if (e.vector().length != options.dimension()) throw new IllegalArgumentException("vector of " + e.vector().length + " dims; the index holds " + options.dimension());
      }
      docs.add(ChunkFields.toLucene(c, e));
    }
    if (v != embeddings.size()) throw new IllegalArgumentException("more vectors than leaves for " + docId);
    docs.add(ChunkFields.manifest(docId, contentHash));
    try {
      writer().updateDocuments(new Term(ChunkFields.DOC_ID, docId), docs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + docId + " to the index: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, byte[]> tokenSignatures(Collection<String> chunkIds) {
    if (chunkIds.isEmpty()) return Map.of();
    return withSearcher(s -> {
      Map<String, byte[]> out = new HashMap<>();
      for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
        Terms terms = leaf.reader().terms(ChunkFields.ID);
        BinaryDocValues dv = leaf.reader().getBinaryDocValues(ChunkFields.TOKENS);
        if (terms == null || dv == null) continue;
        // doc values are read forwards only: find each live chunk's doc, then visit them in doc order
        TreeMap<Integer, String> docs = new TreeMap<>();
        TermsEnum te = terms.iterator();
        PostingsEnum pe = null;
        Bits live = leaf.reader().getLiveDocs();
        for (String id : chunkIds) {
          if (out.containsKey(id) || !te.seekExact(new BytesRef(id))) continue;
          pe = te.postings(pe, PostingsEnum.NONE);
          for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            if (live == null || live.get(d)) docs.put(d, id);
          }
        }
        for (var e : docs.entrySet()) {
          if (dv.advanceExact(e.getKey())) {
            BytesRef b = dv.binaryValue();
            out.put(e.getValue(), Arrays.copyOfRange(b.bytes, b.offset, b.offset + b.length));
          }
        }
      }
      return out;
    });
  }

  @Override
  public void deleteDocument(String docId) {
    try {
      writer().deleteDocuments(new Term(ChunkFields.DOC_ID, docId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void commit() {
    try {
      writer().setLiveCommitData(commitData().entrySet());
      writer().commit();
      searchers.maybeRefresh();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit the index at " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ScoredChunk> searchText(String query, int k, Filter filter) {
    List<String> terms = analyseAll(query);
    if (terms.isEmpty()) return List.of(); // nothing searchable, e.g. only stop words
    Query body;
    Query title;
    if (terms.size() <= MAX_QUERY_TERMS) {
      QueryBuilder qb = new QueryBuilder(analyzer);
      body = qb.createBooleanQuery(ChunkFields.BODY, query, BooleanClause.Occur.SHOULD);
      title = qb.createBooleanQuery(ChunkFields.TITLE, query, BooleanClause.Occur.SHOULD);
    } else {
      List<String> kept = rarest(terms);
      if (kept.isEmpty()) return List.of();
      body = anyOf(ChunkFields.BODY, kept);
      title = anyOf(ChunkFields.TITLE, kept);
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(body, BooleanClause.Occur.SHOULD);
    if (title != null && options.titleBoost() > 0) b.add(new BoostQuery(title, options.titleBoost()), BooleanClause.Occur.SHOULD);
    b.add(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.LEAF)), BooleanClause.Occur.FILTER);
    Query f = filterQuery(filter);
    if (f != null) b.add(f, BooleanClause.Occur.FILTER);
    b.setMinimumNumberShouldMatch(1);
    return run(b.build(), k, false);
  }

  @Override
  public List<ScoredChunk> searchVector(float[] vector, int k, Filter filter) {
    if (vector.length != options.dimension()) throw new IllegalArgumentException("query vector has " + vector.length + " dims; the index holds " + options.dimension());
    return run(new KnnFloatVectorQuery(ChunkFields.VECTOR, vector, k, filterQuery(filter)), k, true);
  }

  private Query filterQuery(Filter filter) {
    if (filter == null || filter.isEmpty()) return null;
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    filter.fields().forEach((k, v) -> {
      Query q = switch (k) {
        case "source" -> v.endsWith("*") ? new PrefixQuery(new Term(ChunkFields.SOURCE, v.substring(0, v.length() - 1)))
            : new TermQuery(new Term(ChunkFields.SOURCE, v));
        case "media_type" -> new TermQuery(new Term(ChunkFields.MEDIA_TYPE, v));
        case "title" -> new TermQuery(new Term(ChunkFields.TITLE + "_exact", v));
        case "page" -> new TermQuery(new Term(ChunkFields.PAGE, v));
        default -> throw new IllegalArgumentException("unknown filter field " + k);
      };
      b.add(q, BooleanClause.Occur.FILTER);
    });
    return b.build();
  }

  private List<ScoredChunk> run(Query q, int k, boolean cosine) {
    return withSearcher(s -> {
      TopDocs td = s.search(q, k);
      StoredFields sf = s.storedFields();
      List<ScoredChunk> out = new ArrayList<>(td.scoreDocs.length);
      for (ScoreDoc sd : td.scoreDocs) {
        // Lucene scores dot-product vectors as (1 + dot) / 2; report the cosine itself
        double score = cosine ? 2.0 * sd.score - 1.0 : sd.score;
        out.add(new ScoredChunk(ChunkFields.fromLucene(sf.document(sd.doc)), score));
      }
      out.sort(ScoredChunk.RANKING);
      return out;
    });
  }

  @Override
  public Optional<Chunk> chunk(String chunkId) {
    return withSearcher(s -> {
      TopDocs td = s.search(new TermQuery(new Term(ChunkFields.ID, chunkId)), 1);
      if (td.scoreDocs.length == 0) return Optional.empty();
      return Optional.of(ChunkFields.fromLucene(s.storedFields().document(td.scoreDocs[0].doc)));
    });
  }

  @Override
  public List<LeafVector> leafVectors() {
    return withSearcher(s -> {
      List<LeafVector> out = new ArrayList<>();
      for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
        org.apache.lucene.index.FloatVectorValues values = ctx.reader().getFloatVectorValues(ChunkFields.VECTOR);
        if (values == null) continue;
        Bits live = ctx.reader().getLiveDocs();
        StoredFields sf = ctx.reader().storedFields();
        org.apache.lucene.index.KnnVectorValues.DocIndexIterator it = values.iterator();
        for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
          if (live != null && !live.get(doc)) continue;
          Document d = sf.document(doc);
          out.add(new LeafVector(d.get(ChunkFields.ID), d.get(ChunkFields.DOC_ID), values.vectorValue(it.index()).clone()));
        }
      }
      return out;
    });
  }

  @Override
  public int leafCount() {
    return withSearcher(this::leafCount);
  }

  /** The leaf count of one reader, remembered: answering and rescoring ask for it once per query word. */
  private record LeafCount(org.apache.lucene.index.IndexReader reader, int count) {}

  private volatile LeafCount leaves;

  private int leafCount(IndexSearcher s) throws IOException {
    LeafCount c = leaves;
    if (c != null && c.reader() == s.getIndexReader()) return c.count();
    int n = s.count(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.LEAF)));
    leaves = new LeafCount(s.getIndexReader(), n);
    return n;
  }

  @Override
  public double documentFrequency(String term) {
    return withSearcher(s -> {
      String analysed = analyse(term);
      if (analysed == null) return 0.0;
      int n = leafCount(s);
      if (n == 0) return 0.0;
      return (double) s.getIndexReader().docFreq(new Term(ChunkFields.BODY, analysed)) / n;
    });
  }

  /**
   * Most terms a text query searches for. Lucene refuses queries of more than 1,024 clauses
   * ({@code TooManyClauses}), and the body and the title each take one clause per term: a longer
   * query keeps its {@value} rarest distinct terms that occur in the index (lowest document frequency,
   * ties by term), which carry nearly all of BM25's weight; terms that occur nowhere cannot match, and
   * the common ones it drops add little but time.
   */
  public static final int MAX_QUERY_TERMS = 256;

  private List<String> rarest(List<String> terms) {
    List<String> distinct = terms.stream().distinct().toList();
    Map<String, Integer> df = withSearcher(s -> {
      Map<String, Integer> m = new HashMap<>();
      for (String t : distinct) m.put(t, s.getIndexReader().docFreq(new Term(ChunkFields.BODY, t)));
      return m;
    });
    return distinct.stream().filter(t -> df.get(t) > 0).sorted(Comparator.comparingInt((String t) -> df.get(t)).thenComparing(Comparator.naturalOrder()))
        .limit(MAX_QUERY_TERMS).toList();
  }

  private static Query anyOf(String field, List<String> terms) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String t : terms) b.add(new TermQuery(new Term(field, t)), BooleanClause.Occur.SHOULD);
    return b.build();
  }

  /** Every term of {@code text} as the body field indexes it, in order, repeats included. */
  private List<String> analyseAll(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(ChunkFields.BODY, text)) {
      CharTermAttribute a = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) out.add(a.toString());
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private String analyse(String term) {
    try (TokenStream ts = analyzer.tokenStream(ChunkFields.BODY, term)) {
      CharTermAttribute a = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      String out = ts.incrementToken() ? a.toString() : null;
      ts.end();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface SearcherFn<T> {
    T apply(IndexSearcher s) throws IOException;
  }

  private <T> T withSearcher(SearcherFn<T> fn) {
    try {
      if (writer != null) searchers.maybeRefreshBlocking();
      IndexSearcher s = searchers.acquire();
      try {
        return fn.apply(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("index read failed at " + path + ": " + e.getMessage(), e);
    }
  }

  /** Closes without committing: uncommitted writes are dropped, as after a crash. */
  @Override
  public void close() throws IOException {
    searchers.close();
    if (writer != null) writer.rollback();
    dir.close();
  }
}
