package dev.groundwork.app;

import dev.groundwork.core.answer.RouteFallbackAnswerer;
import dev.groundwork.core.answer.AskPipeline;
import dev.groundwork.core.answer.Answerability;
import dev.groundwork.core.answer.ContextAssembler;
import dev.groundwork.core.answer.EmbeddingSentenceScorer;
import dev.groundwork.core.answer.ExtractiveAnswerer;
import dev.groundwork.core.answer.GenerativeAnswerer;
import dev.groundwork.core.answer.SentenceScorer;
import dev.groundwork.core.answer.VerifyingAnswerer;
import dev.groundwork.routing.CascadeAnswerer;
import dev.groundwork.core.chunk.StructuredChunker;
import dev.groundwork.core.ingest.EmbeddingCache;
import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.core.ingest.IngestPipeline;
import dev.groundwork.core.budget.BudgetLimit;
import dev.groundwork.core.budget.BudgetPeriod;
import dev.groundwork.core.budget.Budgets;
import dev.groundwork.core.model.BudgetedChatModel;
import dev.groundwork.core.model.CachingChatModel;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.FallbackChatModel;
import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.ResponseStore;
import dev.groundwork.core.model.RetryingChatModel;
import dev.groundwork.core.model.TimedChatModel;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.spi.Answerer;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Loader;
import dev.groundwork.embeddings.EmbeddingModel;
import dev.groundwork.embeddings.OnnxEmbedder;
import dev.groundwork.eval.FileResponseStore;
import dev.groundwork.eval.JsonSchemaValidator;
import dev.groundwork.eval.JudgeVerifier;
import dev.groundwork.eval.LlmJudge;
import dev.groundwork.index.lucene.LuceneIndex;
import dev.groundwork.index.lucene.LuceneIndexOptions;
import dev.groundwork.ingest.Loaders;
import dev.groundwork.store.jdbc.JdbcBudgetLedger;
import dev.groundwork.store.jdbc.JdbcStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A project folder: its {@code groundwork.yaml} and {@code .groundwork/} data, with the pipeline
 * parts built from the configuration. Parts are created on first use. Close it to release the
 * index lock and the embedder.
 */
public final class Project implements AutoCloseable {
  public static final String DATA_DIR = ".groundwork";

  private final Path root;
  private final ProjectConfig config;
  private final boolean writable;
  /** The parts that hold files open (index, embedder, embedding cache, database), shared by {@link #withConfig} copies. */
  private static final class Parts {
    /** One lock per part, so that the embedder can load while the index opens (a search needs both). */
    final Object embedderLock = new Object();
    final Object indexLock = new Object();
    /** Set by the first {@link #preloadEmbedder}: later calls (every search of a library user) start no thread. */
    final java.util.concurrent.atomic.AtomicBoolean preloading = new java.util.concurrent.atomic.AtomicBoolean();
    Embedder embedder;
    LuceneIndex index;
    EmbeddingCache cache;
    JdbcStore store;
    /** Held by a writable project from open to close: one writer per project. */
    ProjectLock writer;
    /** The query embedder with the promoted retrieval adapter, and the pointer-file state it was read at. */
    volatile QueryEmbedder queries;
    /** Pinned adapters ({@code retrieval.adapter: VERSION}) by version id: a version never changes, so each is read once. */
    final Map<String, QueryEmbedder> pinned = new java.util.concurrent.ConcurrentHashMap<>();
  }

  /** @param stamp the version pointer file's identity and time when read (null: no file) */
  private record QueryEmbedder(Object stamp, Embedder embedder) {}

  private final Parts parts;
  /** Whether this project opened {@link #parts} and closes them; a {@link #withConfig} copy does not. */
  private final boolean ownsParts;
  private final ModelRegistry models = ModelRegistry.discover();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private Map<String, String> env = System.getenv();
  private ResponseStore modelCache;
  private LlmJudge judge;
  /** Built from this configuration on first use; see {@link #budgets()}. */
  private Budgets budgets;
  /** The web sources of this configuration, built on first use; see {@link #liveSource()}. */
  private dev.groundwork.core.spi.LiveSource live;

  private Project(Path root, ProjectConfig config, boolean writable, Parts parts, boolean ownsParts) {
    this.root = root.toAbsolutePath().normalize();
    this.config = config;
    this.writable = writable;
    this.parts = parts;
    this.ownsParts = ownsParts;
  }

  private Project(Path root, ProjectConfig config, boolean writable) {
    this(root, config, writable, new Parts(), true);
    if (writable) {
      parts.writer = ProjectLock.acquire(dataDir(), System.getProperty(COMMAND_PROPERTY, "groundwork"));
      replayJournal();
    }
  }

  /** The query log's journal: answers a server acknowledged before the database held them. */
  private Path journalDir() {
    return dataDir().resolve("journal");
  }

  /** What a killed server left in the journal goes to the database now, under the writer lock. */
  private void replayJournal() {
    Path dir = journalDir();
    try {
      // the store is opened only when there is something to replay
      if (!dev.groundwork.store.jdbc.JournaledQueryLog.hasSegments(dir)) return;
      dev.groundwork.store.jdbc.JournaledQueryLog.replay(new dev.groundwork.store.jdbc.JdbcQueryLog(store()), dir, line -> System.err.println("groundwork: " + line));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot replay the query log's journal in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The system property naming the command that opened the project, for the writer lock's message (the CLI sets it). */
  public static final String COMMAND_PROPERTY = "groundwork.command";

  /**
   * This project with another configuration, sharing the open index, embedder, cache and database
   * (a running server reloads its configuration this way, without closing what requests are using).
   * Closing the copy closes only its own models.
   *
   * @throws ConfigException when {@code other} changes what the index was built with (embedder,
   *     chunking, index settings): that needs {@code groundwork ingest --rebuild}
   */
  public Project withConfig(ProjectConfig other) {
    List<String> changed = indexChanges(config, other);
    if (!changed.isEmpty()) {
      throw new ConfigException("the new configuration changes how the index is built (" + String.join(", ", changed)
          + "); run `groundwork ingest --rebuild` with it and restart instead");
    }
    Project p = new Project(root, other, writable, parts, false);
    p.env = env;
    p.modelCache = modelCache;
    return p;
  }

  /** The settings that differ between {@code a} and {@code b} and that the index was built with. */
  public static List<String> indexChanges(ProjectConfig a, ProjectConfig b) {
    List<String> out = new ArrayList<>();
    if (!a.embedder().equals(b.embedder())) out.add("embedder.model");
    if (!a.chunking().equals(b.chunking())) out.add("chunking");
    if (a.quantized() != b.quantized() || a.bm25K1() != b.bm25K1() || a.bm25B() != b.bm25B() || a.titleBoost() != b.titleBoost()
        || a.tokenSignatures() != b.tokenSignatures()) {
      out.add("index");
    }
    return out;
  }

  /** Opens the project in {@code root}, reading its groundwork.yaml (defaults when absent). */
  public static Project open(Path root, boolean writable) {
    return new Project(root, ProjectConfig.load(root.resolve(ProjectConfig.FILE)), writable);
  }

  public static Project open(Path root, ProjectConfig config, boolean writable) {
    return new Project(root, config, writable);
  }

  public Path root() {
    return root;
  }

  public ProjectConfig config() {
    return config;
  }

  public Path dataDir() {
    return root.resolve(DATA_DIR);
  }

  public Path indexDir() {
    return dataDir().resolve("index");
  }

  /**
   * Starts loading the embedder on another thread, so that it and the index open side by side (each
   * takes a few hundred milliseconds; a query needs both). Only the first call does anything.
   */
  public void preloadEmbedder() {
    if (!parts.preloading.compareAndSet(false, true)) return;
    Thread.ofPlatform().daemon().name("groundwork-embedder-load").start(() -> {
      try {
        embedder();
      } catch (RuntimeException e) {
        // reported when the query asks for the embedder itself
      }
    });
  }

  /** Where eval runs are stored. */
  public Path runsDir() {
    return runsDir(root);
  }

  /** Where the project in {@code root} stores its eval runs. */
  public static Path runsDir(Path root) {
    return root.resolve(DATA_DIR).resolve("runs");
  }

  /** @throws NotFoundException when nothing has been ingested yet */
  public void requireIndex() {
    if (!hasIndex()) {
      throw new NotFoundException("no index in " + dataDir() + "; run `groundwork ingest PATH...` (or `groundwork demo`) first");
    }
  }

  public boolean hasIndex() {
    return Files.isDirectory(indexDir()) && !isEmpty(indexDir());
  }

  private static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return true;
    }
  }

  public Embedder embedder() {
    synchronized (parts.embedderLock) {
      return embedderLocked();
    }
  }

  private Embedder embedderLocked() {
    if (parts.embedder == null) {
      String name = config.embedder();
      // a hosted embedder (openai:MODEL) comes from its provider; the local ONNX models ship in the jar
      parts.embedder = name.contains(":") ? models.embedder(name, config.models().settings(name, env, root))
          : OnnxEmbedder.load(name, config.effectiveThreads());
    }
    return parts.embedder;
  }

  /** The embedder's dimension, known without a network call for the local models. */
  private int dimension() {
    String name = config.embedder();
    return name.contains(":") ? embedder().dimension() : EmbeddingModel.named(name).dimension();
  }

  public LuceneIndex index() {
    synchronized (parts.indexLock) {
      return indexLocked();
    }
  }

  private LuceneIndex indexLocked() {
    if (parts.index == null) {
      LuceneIndexOptions o = new LuceneIndexOptions(config.embedder(), dimension(), config.quantized(), config.bm25K1(), config.bm25B(), config.titleBoost());
      parts.index = writable ? LuceneIndex.open(indexDir(), o) : LuceneIndex.openReadOnly(indexDir(), o);
    }
    return parts.index;
  }

  /** Deletes the index (not the embedding cache), for {@code ingest --rebuild}. */
  public void deleteIndex() throws IOException {
    synchronized (parts.indexLock) {
      if (parts.index != null) {
        parts.index.close();
        parts.index = null;
      }
      deleteTree(indexDir());
    }
  }

  /** Deletes a folder and everything in it; nothing happens when it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  public IngestPipeline ingestPipeline(IngestListener listener) {
    EmbeddingCache cache;
    synchronized (parts) {
      if (parts.cache == null) parts.cache = EmbeddingCache.open(dataDir().resolve("cache"), config.embedder(), dimension());
      cache = parts.cache;
    }
    IngestPipeline.Builder b = IngestPipeline.builder()
        .root(root)
        .chunker(new StructuredChunker(config.chunking()))
        .embedder(embedder())
        .cache(cache)
        .index(index())
        .maxFileBytes(config.maxFileBytes())
        .commitEvery(config.commitEvery())
        .embedBatch(16 * config.effectiveThreads())
        .tokenSignatures(config.tokenSignatures())
        .listener(listener);
    for (Loader l : Loaders.all()) b.loader(l);
    return b.build();
  }

  public HybridRetriever retriever(RetrievalOptions options) {
    // a retrieval adapter's tuned fusion settings apply to the questions in its scope only
    return new HybridRetriever(index(), queryEmbedder(), options,
        (q, o) -> currentQueryEmbedder() instanceof dev.groundwork.tuning.AdaptedEmbedder a ? a.optionsFor(q, o) : o);
  }

  /**
   * The embedder for search queries: the project's embedder, through the promoted retrieval adapter
   * when there is one, decided per query. Retrievers and ask pipelines are built once and kept (a
   * server keeps one per model), so the choice cannot be made when they are built: each query checks
   * the version pointer file (one stat), and a running server applies a promotion or rollback from
   * its next query on. Documents are never re-embedded.
   */
  public Embedder queryEmbedder() {
    return new dev.groundwork.core.spi.DelegatingEmbedder(embedder()) {
      @Override
      public float[] embedQuery(String query) {
        return currentQueryEmbedder().embedQuery(query);
      }

      @Override
      public dev.groundwork.core.spi.Embedding embedQueryWithTokens(String query) {
        return currentQueryEmbedder().embedQueryWithTokens(query);
      }
    };
  }

  /**
   * What the version pointer file is now (file key, modification time, size: one stat), or null when
   * there is none; whatever follows promotions compares it with the stamp it was built at.
   */
  private Object pointerStamp() {
    Path pointers = dataDir().resolve("versions").resolve(dev.groundwork.app.versions.VersionRegistry.POINTERS);
    try {
      var a = Files.readAttributes(pointers, java.nio.file.attribute.BasicFileAttributes.class);
      return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + pointers + ": " + e.getMessage(), e);
    }
  }

  /**
   * The embedder for a query now: through the adapter {@code retrieval.adapter} pins, or the one
   * promoted now (the default), or none ({@code none}, or nothing promoted).
   */
  private Embedder currentQueryEmbedder() {
    Embedder base = embedder();
    String pin = config.adapter();
    if (pin.equals(ProjectConfig.NO_ADAPTER)) return base;
    if (!pin.equals(ProjectConfig.PROMOTED_ADAPTER)) {
      QueryEmbedder q = parts.pinned.get(pin);
      if (q == null) {
        q = new QueryEmbedder(pin, new dev.groundwork.app.versions.ProjectVersions(this, java.time.Clock.systemUTC()).adapters().pinned(pin, base));
        parts.pinned.put(pin, q);
      }
      return q.embedder();
    }
    Object stamp = pointerStamp();
    QueryEmbedder q = parts.queries;
    if (q != null && java.util.Objects.equals(q.stamp(), stamp)) return q.embedder();
    Embedder e = stamp == null ? base
        : new dev.groundwork.app.versions.ProjectVersions(this, java.time.Clock.systemUTC()).adapters().promoted(base).map(Embedder.class::cast).orElse(base);
    parts.queries = new QueryEmbedder(stamp, e);
    return e;
  }

  public AskPipeline askPipeline(RetrievalOptions options) {
    return askPipeline(options, null);
  }

  /** @param jsonSchema a JSON Schema the answer must match (needs a language model), or null */
  public AskPipeline askPipeline(RetrievalOptions options, String jsonSchema) {
    return askPipeline(options, jsonSchema, config.models());
  }

  /** A pipeline answering with the models of {@code m} instead of the configured ones (a suite's own model). */
  public AskPipeline askPipeline(RetrievalOptions options, String jsonSchema, ModelsConfig m) {
    return new AskPipeline(retriever(options), answerer(jsonSchema, m), m.prices(), embedder().name(), liveSource());
  }

  /**
   * The configured answerer: extractive, or a language model (with retries, and its fallbacks in
   * order) behind the prompt template.
   */
  public Answerer answerer(String jsonSchema) {
    return answerer(jsonSchema, config.models());
  }

  private synchronized Answerer answerer(String jsonSchema, ModelsConfig m) {
    ModelsConfig.Route route = m.route(m.model());
    if (route != null) return routeAnswerer(route, jsonSchema, m);
    Answerer a = verified(unverified(jsonSchema, m), config.verifier(), config.minVerification(), m);
    if (m.routeFallbacks().isEmpty() || m.model().equals("extractive")) return a;
    // routes in the fallback list answer when the model and its model fallbacks have failed
    List<RouteFallbackAnswerer.Fallback> routes = new ArrayList<>();
    for (String r : m.routeFallbacks()) routes.add(new RouteFallbackAnswerer.Fallback(r.substring(ModelsConfig.ROUTE_PREFIX.length()),
        routeAnswerer(m.route(r), jsonSchema, m)));
    return new RouteFallbackAnswerer(m.model(), a, routes);
  }

  private Answerer verified(Answerer a, String verifier, double min, ModelsConfig m) {
    if (verifier == null) return a;
    LlmJudge checker = new LlmJudge(chatModel(config.models().override(verifier, List.of(), null, null)), m.prices());
    return new VerifyingAnswerer(a, new JudgeVerifier(checker), min);
  }

  /**
   * A route's answerer: each model as it would answer alone (with the route's schema where it is a
   * language model, and checked by the route's verifier, or answer.verifier), then the cascade.
   */
  private Answerer routeAnswerer(ModelsConfig.Route route, String jsonSchema, ModelsConfig m) {
    // a learned route without its router is refused before any model is set up
    CascadeAnswerer.Router router = !route.policy().equals("learned") ? null
        : new dev.groundwork.app.versions.ProjectVersions(this, java.time.Clock.systemUTC()).routers().promotedFor(route);
    String schema = jsonSchema;
    if (schema == null && route.schema() != null) {
      Path file = root.resolve(route.schema());
      try {
        schema = Files.readString(file);
      } catch (java.io.IOException e) {
        throw new ConfigException(ProjectConfig.FILE + ": routes." + route.name() + ".schema: cannot read " + file + " (" + e.getMessage() + ")");
      }
    }
    String verifier = route.verifier() != null ? route.verifier() : config.verifier();
    double min = route.verifier() != null ? route.minVerification() : config.minVerification();
    List<CascadeAnswerer.Tier> tiers = new ArrayList<>();
    for (String model : route.models()) {
      ModelsConfig mm = m.override(model, List.of(), null, null);
      // with min_logprob, the route's language models are asked for their token log-probabilities
      Answerer a = unverified(model.equals("extractive") ? null : schema, mm, route.minLogprob() != null);
      tiers.add(new CascadeAnswerer.Tier(model, verified(a, verifier, min, mm)));
    }
    List<CascadeAnswerer.Check> checks = new ArrayList<>(List.of(CascadeAnswerer.Checks.verification(), CascadeAnswerer.Checks.unwarrantedRefusal()));
    if (route.minLogprob() != null) checks.add(CascadeAnswerer.Checks.logprob(route.minLogprob()));
    if (schema != null) {
      try {
        checks.add(CascadeAnswerer.Checks.schema(new JsonSchemaValidator(schema)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ProjectConfig.FILE + ": routes." + route.name() + ".schema: " + e.getMessage());
      }
    }
    return router == null ? new CascadeAnswerer(route.name(), route.policy(), tiers, checks)
        : new CascadeAnswerer(route.name(), route.policy(), tiers, checks, router);
  }

  private Answerer unverified(String jsonSchema, ModelsConfig m) {
    return unverified(jsonSchema, m, false);
  }

  private Answerer unverified(String jsonSchema, ModelsConfig m, boolean logprobs) {
    if (dev.groundwork.app.versions.ModelVersions.isAlias(m.model())) {
      // an alias with no version promoted yet serves the configured model, which may be extractive
      var r = resolveAlias(m.model());
      if (r.production().equals("extractive") && r.candidate() == null) m = m.override("extractive", List.of(), null, null);
    }
    if (m.model().equals("extractive")) {
      if (jsonSchema != null) {
        throw new BadInputException("--schema needs a language model (--model PROVIDER:MODEL); the extractive answerer writes no JSON");
      }
      return answerer(config, root, index(), embedder());
    }
    ChatModel model = chatModel(m);
    return GenerativeAnswerer.builder().model(model).prompt(m.prompt()).prices(m.prices()).contextTokens(config.contextTokens())
        .maxTokens(m.maxTokens()).temperature(m.temperature()).seed(42L).logprobs(logprobs)
        .schema(jsonSchema, jsonSchema == null ? null : new JsonSchemaValidator(jsonSchema))
        .searchTool(config.searchTool() ? this::searchTool : null).build();
  }

  /** {@code answer.tools: [search]}: the model's own query (its {@code query} argument; the question when it gives none), retrieved as configured. */
  private List<dev.groundwork.core.ScoredChunk> searchTool(String argumentsJson, String question) {
    String query;
    try {
      query = Json.MAPPER.readTree(argumentsJson).path("query").asText("");
    } catch (IOException | RuntimeException e) {
      query = "";
    }
    String q = dev.groundwork.core.text.CleanText.of(query.isBlank() ? question : query);
    return retriever(config.retrieval()).search(q, config.k(), dev.groundwork.core.spi.Filter.NONE).hits();
  }

  /** The answerer the configuration describes, over {@code index} (for term statistics). */
  public static ExtractiveAnswerer answerer(ProjectConfig config, Path root, LuceneIndex index, Embedder embedder) {
    return answerer(config, root, index, embedder, config.minAnswerability());
  }

  /** As {@link #answerer(ProjectConfig, Path, LuceneIndex, Embedder)}, refusing below {@code minAnswerability} instead of the configured value. */
  public static ExtractiveAnswerer answerer(ProjectConfig config, Path root, LuceneIndex index, Embedder embedder, double minAnswerability) {
    return new ExtractiveAnswerer(new ContextAssembler(config.contextTokens()), index::documentFrequency, config.minEvidence(),
        config.maxSentences(), sentenceScorer(config, embedder), answerability(config, root, index), minAnswerability);
  }

  /** The answerability check: the shipped model, or the one {@code answer.answerability_model} names (relative to the project). */
  public static Answerability answerability(ProjectConfig config, Path root, LuceneIndex index) {
    if (config.answerabilityModel() == null) return Answerability.standard(index::documentFrequency);
    Path file = root.resolve(config.answerabilityModel());
    try {
      return new Answerability(dev.groundwork.core.learn.LogisticRegression.Model.parse(Files.readString(file), file.toString()), index::documentFrequency);
    } catch (java.io.IOException e) {
      throw new ConfigException(ProjectConfig.FILE + ": answer.answerability_model: cannot read " + file + " (" + e.getMessage()
          + "); write one with groundwork bench squad --fit-answerability, or remove the key for the shipped model");
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ProjectConfig.FILE + ": answer.answerability_model: " + e.getMessage());
    }
  }

  /** The semantic sentence scorer when answer.semantic is on, else null. */
  public static SentenceScorer sentenceScorer(ProjectConfig config, Embedder embedder) {
    // with a hosted embedder every answer would embed dozens of sentences at a price: local models only
    return config.semanticAnswers() && !config.embedder().contains(":") ? new EmbeddingSentenceScorer(embedder, 20_000) : null;
  }

  /**
   * The language model of {@code m}: its model with retries, then its fallbacks in order, behind the
   * response cache when one is set.
   */
  public synchronized ChatModel chatModel(ModelsConfig m) {
    if (m.model().equals("extractive")) throw new BadInputException("extractive is not a language model");
    List<ChatModel> chain = new ArrayList<>();
    List<String> names = new ArrayList<>(List.of(m.model()));
    names.addAll(m.modelFallbacks());
    for (String name : names) {
      if (name.equals("extractive")) throw new ConfigException("extractive cannot be a fallback model; list language models only");
      if (!dev.groundwork.app.versions.ModelVersions.isAlias(name)) {
        chain.add(retried(name, m));
        continue;
      }
      chain.add(new AliasChatModel(name, m));
    }
    ChatModel model = chain.size() == 1 ? chain.get(0) : new FallbackChatModel(chain);
    // an alias's replies are not cached: the key would outlive a promotion
    if (modelCache != null && names.stream().noneMatch(dev.groundwork.app.versions.ModelVersions::isAlias)) {
      model = new CachingChatModel(model, String.join(",", names), modelCache);
    }
    return model;
  }

  /**
   * A model alias ({@code support@production}): its promoted version, or the configured model, with a
   * canary's share to the candidate. Pipelines are built once and kept, so the alias is resolved on
   * each call from the version pointer file (one stat; resolved again only when it changed): a
   * running server follows promotions, rollbacks and canary changes from its next call on.
   */
  private final class AliasChatModel implements ChatModel {
    /** The model an alias resolved to, and the pointer file's stamp it was resolved at: read and replaced as one. */
    private record Resolved(Object stamp, ChatModel model) {}

    private final String alias;
    private final ModelsConfig m;
    private volatile Resolved current;

    AliasChatModel(String alias, ModelsConfig m) {
      this.alias = alias;
      this.m = m;
      current();
    }

    private ChatModel current() {
      Object now = pointerStamp();
      Resolved c = current;
      if (c != null && java.util.Objects.equals(now, c.stamp())) return c.model();
      synchronized (this) {
        c = current;
        if (c != null && java.util.Objects.equals(now, c.stamp())) return c.model();
        var r = resolveAlias(alias);
        if (r.production().equals("extractive")) {
          throw new BadInputException(alias + " serves extractive, which is not a language model; promote a model version onto '" + r.alias() + "' first");
        }
        ChatModel production = retried(r.production(), m);
        ChatModel model = r.candidate() == null ? production
            : new dev.groundwork.core.model.CanaryChatModel(alias, production, retried(r.candidate(), m), r.canaryShare());
        current = new Resolved(now, model);
        return model;
      }
    }

    @Override
    public String name() {
      return alias;
    }

    /** The model resolved last, for counting and sizing: only a call checks the pointer file (prompts count many pieces each). */
    private ChatModel last() {
      Resolved c = current;
      return c != null ? c.model() : current();
    }

    @Override
    public int countTokens(String text) {
      return last().countTokens(text);
    }

    @Override
    public boolean countsExactly() {
      return last().countsExactly();
    }

    @Override
    public long inputTokenBound(ChatRequest request) {
      return last().inputTokenBound(request);
    }

    @Override
    public int contextWindow() {
      return current().contextWindow();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      ChatModel c = current();
      ChatResponse r = c.chat(request);
      return r.trace() != null ? r : r.withTrace(r.traceOr(c.name()));
    }

    @Override
    public ChatResponse stream(ChatRequest request, java.util.function.Consumer<String> onToken) {
      ChatModel c = current();
      ChatResponse r = c.stream(request, onToken);
      return r.trace() != null ? r : r.withTrace(r.traceOr(c.name()));
    }
  }

  /** What model alias {@code name} ({@code support@production}) serves now, from the version registry. */
  private dev.groundwork.app.versions.ModelVersions.Resolved resolveAlias(String name) {
    return new dev.groundwork.app.versions.ProjectVersions(this, java.time.Clock.systemUTC()).models().resolve(name);
  }

  /** Provider model {@code name} with the budgets around each attempt and the configured retries around those. */
  private ChatModel retried(String name, ModelsConfig m) {
    ChatModel provider = models.chatModel(name, m.settings(name, env, root));
    if (provider instanceof AutoCloseable c) closeables.add(c);
    // below the retries: each attempt is its own span, and reserves its own bound against the budgets
    ChatModel cm = new BudgetedChatModel(new TimedChatModel(provider), budgets(), m.prices());
    return m.retries() == 0 ? cm
        : new RetryingChatModel(cm, m.retries() + 1, Duration.ofMillis(500), Duration.ofSeconds(30), d -> Thread.sleep(d.toMillis()), 42);
  }

  /**
   * True when every language model of {@code route} has what its client needs (an API key, or a base
   * URL for a compatible server) in groundwork.yaml or the environment. Nothing is called.
   */
  public boolean canCall(ModelsConfig.Route route) {
    for (String name : route.models()) {
      try {
        if (dev.groundwork.app.versions.ModelVersions.isAlias(name)) {
          name = resolveAlias(name).production();
        }
        if (name.equals("extractive")) continue;
        ChatModel m = models.chatModel(name, config.models().settings(name, env, root));
        if (m instanceof AutoCloseable c) closeables.add(c);
      } catch (IllegalArgumentException | GroundworkException e) {
        return false;
      }
    }
    return true;
  }

  /** The environment provider keys and endpoints are read from (the process's, or a test's). */
  public Map<String, String> env() {
    return env;
  }

  /** Where {@code modelName}'s provider is and the key to call it with (groundwork.yaml, then the environment). */
  public dev.groundwork.core.model.ModelSettings providerSettings(String modelName) {
    return config.models().settings(modelName, env, root);
  }

  /** The configured judge model for evals (with retries, and the response cache when set), or null. */
  public synchronized LlmJudge judge() {
    String name = config.models().judge();
    if (name == null) return null;
    // one judge per project: the suites' assertions and the run's spend tally must share it
    if (judge == null) judge = new LlmJudge(chatModel(config.models().override(name, List.of(), null, null)), config.models().prices());
    return judge;
  }

  /** Serves repeated model calls from {@code store} (evals), or never when null. */
  public synchronized Project withModelCache(ResponseStore store) {
    this.modelCache = store;
    this.judge = null; // made again behind the cache
    return this;
  }

  /** The on-disk cache of model replies, {@code .groundwork/cache/model-calls}. */
  public ResponseStore modelCallStore() {
    return new FileResponseStore(dataDir().resolve("cache").resolve("model-calls"));
  }

  /**
   * The query log and keys database: {@code store.url} when configured (PostgreSQL; user and password
   * from PGUSER / PGPASSWORD or the URL), else {@code .groundwork/groundwork.db} (SQLite).
   */
  public JdbcStore store() {
    synchronized (parts) {
      if (parts.store == null) parts.store = openStore();
      return parts.store;
    }
  }

  /**
   * The budgets every model call of this project is held to ({@code budgets:} in groundwork.yaml, and
   * the keys' own), kept in {@link #store()}; the store is opened only when a budget applies.
   */
  public synchronized Budgets budgets() {
    if (budgets == null) {
      ProjectConfig.BudgetsConfig b = config.budgets();
      List<BudgetLimit> project = new ArrayList<>();
      if (b.dayUsd() != null) project.add(BudgetLimit.project(BudgetPeriod.DAY, b.dayUsd()));
      if (b.monthUsd() != null) project.add(BudgetLimit.project(BudgetPeriod.MONTH, b.monthUsd()));
      budgets = new Budgets(project, b.keyDayUsd(), b.keyMonthUsd(), b.refuseUnknownPrice() ? Budgets.UnknownPrice.REFUSE : Budgets.UnknownPrice.ALLOW,
          b.maxTokens(), () -> new JdbcBudgetLedger(store()), java.time.Clock.systemUTC());
    }
    return budgets;
  }

  /**
   * The web search and pages of {@code web:} in groundwork.yaml, behind the SSRF guard, or null when
   * none are configured. Built once per project; its caches live as long as it does.
   */
  public synchronized dev.groundwork.core.spi.LiveSource liveSource() {
    ProjectConfig.WebConfig w = config.web();
    if (!w.enabled()) return null;
    if (live == null) {
      List<dev.groundwork.web.AddressGuard.Range> allow = w.allow().stream().map(dev.groundwork.web.AddressGuard.Range::parse).toList();
      var fetcher = new dev.groundwork.web.PageFetcher(new dev.groundwork.web.AddressGuard(dev.groundwork.http.HostResolver.SYSTEM, allow), w.timeout(),
          w.maxPageBytes(), w.userAgent(), w.robots(), w.ttl(), java.time.Clock.systemUTC());
      closeables.add(fetcher);
      var http = new dev.groundwork.http.Http1Client(w.timeout(), w.timeout());
      closeables.add(http);
      dev.groundwork.web.WebSearch search = switch (w.search()) {
        case "searxng" -> dev.groundwork.web.WebSearch.searxng(http, w.searchUrl(), w.userAgent());
        case "brave" -> {
          try {
            yield dev.groundwork.web.WebSearch.brave(http, w.searchUrl(), w.apiKey() != null ? w.apiKey() : env.get("BRAVE_API_KEY"), w.userAgent());
          } catch (IllegalArgumentException e) {
            throw new ConfigException(ProjectConfig.FILE + ": web.search: " + e.getMessage());
          }
        }
        default -> null;
      };
      live = new dev.groundwork.web.WebSources(search, w.urls(), fetcher, w.results(), w.fetchResults(), w.ttl(), java.time.Clock.systemUTC());
    }
    return live;
  }

  /** The API keys of {@code groundwork serve}, in {@link #store()}. */
  public dev.groundwork.core.log.KeyStore keys() {
    return new dev.groundwork.store.jdbc.JdbcKeyStore(store());
  }

  /**
   * The query log, in {@link #store()}; writes are synchronous (the server wraps it to write
   * asynchronously). With {@code store.redact}, entries are redacted before they are written.
   */
  public dev.groundwork.core.log.QueryLog queryLog() {
    return redacted(new dev.groundwork.store.jdbc.JdbcQueryLog(store()));
  }

  /** {@code log} behind {@code store.redact}'s redaction, when it names any kinds. */
  private dev.groundwork.core.log.QueryLog redacted(dev.groundwork.core.log.QueryLog log) {
    List<String> kinds = config.log().redact();
    return kinds.isEmpty() ? log : new RedactingQueryLog(log, dev.groundwork.tuning.dataset.Pii.standard("US").only(java.util.Set.copyOf(kinds)));
  }

  /**
   * The query log a server writes to: an entry is durable once it is in the journal in
   * {@code .groundwork/journal} (synced to disk first with {@code store.sync: full}), and reaches the
   * database in the background; see {@link dev.groundwork.store.jdbc.JournaledQueryLog}. Redacted
   * before the journal with {@code store.redact}. Only a writable project may write it.
   */
  public dev.groundwork.core.log.QueryLog journaledQueryLog(java.util.function.Consumer<String> warnings) {
    if (!writable) throw new IllegalStateException("the journaled query log needs the project's writer lock");
    return redacted(new dev.groundwork.store.jdbc.JournaledQueryLog(new dev.groundwork.store.jdbc.JdbcQueryLog(store()), journalDir(),
        config.storeFullSync(), java.time.Duration.ofSeconds(10), warnings));
  }

  /** Deletes entries older than {@code store.retention_days} (none when it is 0); returns how many went. */
  public int applyRetention(java.time.Instant now) {
    int days = config.log().retentionDays();
    if (days == 0) return 0;
    // not closed here: the log is the project's store, which the project closes
    return queryLog().purge(new dev.groundwork.core.log.QueryLog.Purge(null, null, now.minus(java.time.Duration.ofDays(days))));
  }

  /** A new connection to the query log and keys database; the caller closes it. */
  public JdbcStore openStore() {
    String url = config.storeUrl();
    if (url == null) return JdbcStore.sqlite(dataDir().resolve("groundwork.db"), config.storeFullSync());
    return JdbcStore.open(url, env.get("PGUSER"), env.get("PGPASSWORD"));
  }

  /** Reads provider keys and base URLs from {@code e} instead of the process environment (tests). */
  public Project withEnv(Map<String, String> e) {
    this.env = Map.copyOf(e);
    return this;
  }

  @Override
  public synchronized void close() throws IOException {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // a model that fails to close frees its memory at exit anyway
      }
    }
    if (!ownsParts) return;
    synchronized (parts) {
      try {
        if (parts.store != null) parts.store.close();
        if (parts.cache != null) parts.cache.close();
        if (parts.index != null) parts.index.close();
        if (parts.embedder != null) parts.embedder.close();
      } finally {
        if (parts.writer != null) parts.writer.close(); // last: the next writer may start once this one is done
      }
    }
  }
}
