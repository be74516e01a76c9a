package dev.groundwork.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.core.chunk.ChunkingOptions;
import dev.groundwork.core.retrieve.Fusion;
import dev.groundwork.core.retrieve.NormalizedScoreFusion;
import dev.groundwork.core.retrieve.ReciprocalRankFusion;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.retrieve.SearchMode;
import dev.groundwork.embeddings.EmbeddingModel;
import dev.groundwork.yaml.YamlDocument;
import dev.groundwork.yaml.YamlSection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code groundwork.yaml}: everything a project configures, validated on load. Each value has a
 * default, so an empty file (or none) is a valid project. See {@code init} for the commented file.
 */
public record ProjectConfig(
    List<String> sources,
    long maxFileBytes,
    int commitEvery,
    ChunkingOptions chunking,
    String embedder,
    int embedThreads,
    boolean quantized,
    float bm25K1,
    float bm25B,
    float titleBoost,
    boolean tokenSignatures,
    RetrievalOptions retrieval,
    int rrfK,
    int k,
    ModelsConfig models,
    int contextTokens,
    double minEvidence,
    double minAnswerability,
    String answerabilityModel,
    String verifier,
    double minVerification,
    int maxSentences,
    boolean semanticAnswers,
    List<String> suites,
    String storeUrl,
    boolean storeFullSync,
    ServerLimits server,
    String rewriteModel,
    BudgetsConfig budgets,
    WebConfig web,
    LogPolicy log,
    LocalTrainer localTrainer,
    String adapter,
    boolean searchTool) {

  /** {@code retrieval.adapter}'s default: the promoted retrieval adapter, if any, applies to queries. */
  public static final String PROMOTED_ADAPTER = "promoted";

  /** {@code retrieval.adapter: none}: queries are embedded without an adapter. */
  public static final String NO_ADAPTER = "none";

  /**
   * {@code tuning.local:} the trainer {@code tune start --provider local} runs: {@code command}, its
   * argument list with placeholders ({config}, {data}, {output}, {base_model}, {epochs}, {method},
   * {job}), and {@code format}, the trainer config and data it is given (axolotl or trl); {@code
   * baseGguf}, the base model's GGUF that a LoRA adapter the trainer leaves is served over (a path
   * against the project, or a pulled model's name), or null. Null when not configured.
   */
  public record LocalTrainer(List<String> command, String format, String baseGguf) {}

  /**
   * What the query log keeps: {@code store.redact} lists the kinds of personal data replaced by
   * {@code [KIND]} before an entry is written (email, phone, card, iban, ip, secret), and {@code
   * store.retention_days} how long entries are kept (0: for ever).
   */
  public record LogPolicy(List<String> redact, int retentionDays) {}

  /**
   * {@code web:} live sources. {@code search}: {@code none}, {@code searxng} (at {@code search_url})
   * or {@code brave} (key in {@code api_key} or BRAVE_API_KEY); {@code urls}: pages consulted for
   * every question; fetched pages go through the SSRF guard, which refuses private, loopback and
   * link-local addresses except the ranges in {@code allow}.
   */
  public record WebConfig(String search, java.net.URI searchUrl, String apiKey, int results, boolean fetchResults, List<java.net.URI> urls,
      java.time.Duration ttl, java.time.Duration timeout, long maxPageBytes, List<String> allow, boolean robots, String userAgent) {
    public boolean enabled() {
      return !search.equals("none") || !urls.isEmpty();
    }
  }

  /**
   * {@code budgets:} the project's caps in USD per UTC day and month, every key's default caps (a key
   * created with its own replaces them), what a model with no known price gets under a budget, and
   * the output cap of calls that name none (so each call's upper-bound cost is a real bound). Null
   * amounts are no cap.
   */
  public record BudgetsConfig(Double dayUsd, Double monthUsd, Double keyDayUsd, Double keyMonthUsd, boolean refuseUnknownPrice, int maxTokens) {
    /** True when some cap is set here (keys may still have their own). */
    public boolean any() {
      return dayUsd != null || monthUsd != null || keyDayUsd != null || keyMonthUsd != null;
    }
  }

  /**
   * {@code server:} per-key rate limits (0 = none), the request body limit, the web origins allowed to
   * call a keyed server from a browser (CORS), how long a stopping server waits for requests in
   * flight, and the OpenTelemetry collector that gets a trace per request (null: none).
   */
  public record ServerLimits(int requestsPerMinute, int tokensPerMinute, int maxBodyMb, List<String> allowedOrigins, int shutdownGraceSeconds,
      java.net.URI otlpEndpoint) {}

  public static final String FILE = "groundwork.yaml";

  /**
   * {@code answer.min_answerability}: the extractive answerer refuses when its answerability check
   * scores the best sentence below this. Chosen by {@code bench squad --fit-answerability} on the
   * SQuAD 2.0 tuning articles only (see the README), never on the articles it is reported on.
   */
  public static final double DEFAULT_MIN_ANSWERABILITY = 0.27;

  /** The commented groundwork.yaml that {@code groundwork init} writes: every key with its default. */
  public static String template() {
    try (java.io.InputStream in = ProjectConfig.class.getResourceAsStream("/groundwork.yaml.template")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the groundwork.yaml template is missing from the jar", e);
    }
  }

  public static ProjectConfig defaults() {
    return parse("(defaults)", null);
  }

  /** Loads {@code file}; a missing file gives the defaults. A prompt file it names is read against the file's folder. */
  public static ProjectConfig load(Path file) {
    return load(file, file.toAbsolutePath().getParent());
  }

  /**
   * Loads {@code file}, reading the prompt file it names ({@code prompts.file}) against {@code project}:
   * for copies of groundwork.yaml kept elsewhere (a stored version, an experiment).
   */
  public static ProjectConfig load(Path file, Path project) {
    String name = file.getFileName().toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return defaults();
    } catch (IOException e) {
      throw new ConfigException(name + ": cannot read: " + e.getMessage());
    }
    return parse(name, YamlDocument.parse(name, bytes, ConfigException::new), project.toAbsolutePath());
  }

  /** Parses a configuration that names no prompt file (one that does is refused: there is no folder to read it from). */
  public static ProjectConfig parse(String file, JsonNode root) {
    return parse(file, root, null);
  }

  /** @param base the project folder a prompt file is read against, or null */
  public static ProjectConfig parse(String file, JsonNode root, Path base) {
    YamlSection top = new YamlSection(file, "", root, Set.of("version", "sources", "ingest", "chunking", "embedder", "index", "retrieval", "answer", "suites",
        "models", "prompts", "prices", "eval", "store", "server", "routes", "budgets", "web", "tuning"), ConfigException::new);
    top.integer("version", 1, 1, 1);
    YamlSection ingest = top.section("ingest", Set.of("max_file_mb", "commit_every"));
    YamlSection store = top.section("store", Set.of("url", "sync", "redact", "retention_days"));
    YamlSection chunking = top.section("chunking", Set.of("mode", "max_tokens", "overlap_tokens", "parent_max_tokens"));
    YamlSection emb = top.section("embedder", Set.of("model", "threads"));
    YamlSection index = top.section("index", Set.of("vectors", "bm25_k1", "bm25_b", "title_boost", "token_signatures"));
    YamlSection ret = top.section("retrieval", Set.of("mode", "k", "fusion", "rrf_k", "bm25_weight", "dense_weight", "candidates", "auto_merge",
        "late_weight", "late_depth", "late_idf", "adapter"));
    YamlSection ans = top.section("answer", Set.of("model", "fallback", "max_tokens", "temperature", "context_tokens", "min_evidence",
        "min_answerability", "answerability_model", "verifier", "min_verification", "max_sentences", "semantic", "rewrite_model", "tools"));

    int maxTokens = chunking.integer("max_tokens", 256, 16, 8192);
    int overlap = chunking.integer("overlap_tokens", Math.min(32, maxTokens / 2 - 1), 0, maxTokens / 2 - 1);
    int parentMax = chunking.integer("parent_max_tokens", Math.max(1024, maxTokens), maxTokens, 100_000);
    boolean hierarchical = chunking.choice("mode", "hierarchical", Set.of("hierarchical", "flat")).equals("hierarchical");

    Set<String> models = EmbeddingModel.ALL.stream().map(EmbeddingModel::name).collect(Collectors.toSet());
    String embedder = emb.text("model", EmbeddingModel.DEFAULT);
    if (!models.contains(embedder) && !embedder.startsWith("openai:")) {
      throw emb.invalid("model", "got '" + embedder + "'; accepted: " + String.join(", ", new java.util.TreeSet<>(models)) + ", openai:MODEL");
    }
    int threads = emb.integer("threads", 0, 0, 64);

    String fusionName = ret.choice("fusion", "zscore", Set.of("rrf", "minmax", "zscore"));
    int rrfK = ret.integer("rrf_k", 60, 1, 10_000);
    Fusion fusion = switch (fusionName) {
      case "rrf" -> new ReciprocalRankFusion(rrfK);
      case "minmax" -> new NormalizedScoreFusion(NormalizedScoreFusion.Norm.MIN_MAX);
      default -> new NormalizedScoreFusion(NormalizedScoreFusion.Norm.Z_SCORE);
    };
    double bw = ret.number("bm25_weight", 1.0, 0, 100);
    double dw = ret.number("dense_weight", 1.0, 0, 100);
    if (bw + dw == 0) throw new ConfigException(file + ": retrieval.bm25_weight and retrieval.dense_weight cannot both be 0");
    RetrievalOptions retrieval = new RetrievalOptions(
        SearchMode.parse(ret.choice("mode", "hybrid", Set.of("bm25", "dense", "hybrid"))), fusion, bw, dw,
        ret.integer("candidates", 100, 1, 10_000), ret.number("auto_merge", 0.5, 0.01, 2.0),
        ret.number("late_weight", 1.0, 0, 100), ret.integer("late_depth", 100, 1, 10_000), ret.bool("late_idf", true));

    return new ProjectConfig(
        top.strings("sources", List.of("docs")),
        (long) ingest.integer("max_file_mb", 50, 1, 4096) << 20,
        ingest.integer("commit_every", 200, 1, 1_000_000),
        new ChunkingOptions(maxTokens, overlap, hierarchical, parentMax),
        embedder,
        threads,
        index.choice("vectors", "int8", Set.of("int8", "float")).equals("int8"),
        (float) index.number("bm25_k1", 0.9, 0, 10),
        (float) index.number("bm25_b", 0.4, 0, 1),
        (float) index.number("title_boost", 0.5, 0, 100),
        index.bool("token_signatures", true),
        retrieval,
        rrfK,
        ret.integer("k", 8, 1, 50),
        ModelsConfig.parse(file, ans, top, base),
        ans.integer("context_tokens", 3000, 50, 1_000_000),
        ans.number("min_evidence", 0.5, 0, 1),
        ans.number("min_answerability", DEFAULT_MIN_ANSWERABILITY, 0, 1),
        ans.text("answerability_model", null),
        verifier(file, ans),
        ans.number("min_verification", 0.5, 0, 1),
        ans.integer("max_sentences", 3, 1, 20),
        ans.bool("semantic", true),
        top.strings("suites", List.of("suites")),
        storeUrl(store),
        store.choice("sync", "full", Set.of("full", "normal")).equals("full"),
        serverLimits(top.section("server", Set.of("requests_per_minute", "tokens_per_minute", "max_body_mb",
            "allowed_origins", "shutdown_grace_s", "otlp_endpoint"))),
        rewriteModel(file, ans),
        budgets(top.section("budgets", Set.of("day_usd", "month_usd", "key_day_usd", "key_month_usd", "unknown_price", "max_tokens"))),
        web(top.section("web", Set.of("search", "search_url", "api_key", "results", "fetch_results", "urls", "ttl_s", "timeout_s", "max_page_kb",
            "allow", "robots", "user_agent"))),
        logPolicy(store),
        localTrainer(top.section("tuning", Set.of("local")).section("local", Set.of("command", "format", "base_gguf"))),
        adapter(ret),
        tools(ans));
  }

  /** {@code answer.tools}: the tools a language model may call before it answers; {@code search} is the one there is. */
  private static boolean tools(YamlSection ans) {
    List<String> tools = ans.strings("tools", List.of());
    for (String t : tools) if (!t.equals("search")) throw ans.invalid("tools", "'" + t + "' is not a tool; the tool there is: search");
    return tools.contains("search");
  }

  /** {@code retrieval.adapter}: promoted (default), none, or a retrieval-adapter version id to pin. */
  private static String adapter(YamlSection ret) {
    String a = ret.text("adapter", PROMOTED_ADAPTER);
    if (!a.equals(PROMOTED_ADAPTER) && !a.equals(NO_ADAPTER) && !a.matches("retrieval-adapter-[0-9]{8}-[0-9]{6}-[0-9a-f]{8}")) {
      throw ret.invalid("adapter", "got '" + a + "'; accepted: promoted, none, or a retrieval-adapter version id (see `groundwork versions list`)");
    }
    return a;
  }

  private static LocalTrainer localTrainer(YamlSection t) {
    List<String> command = t.strings("command", List.of());
    String format = t.choice("format", "axolotl", Set.of("axolotl", "trl"));
    if (command.isEmpty()) {
      if (t.has("format")) throw t.invalid("command", "is required with format: the trainer to run, as a list (e.g. [axolotl, train, \"{config}\"])");
      return null;
    }
    if (command.get(0).isBlank()) throw t.invalid("command", "the first entry is the program to run");
    return new LocalTrainer(List.copyOf(command), format, t.text("base_gguf", null));
  }

  static final Set<String> PII_KINDS = Set.of("email", "phone", "card", "iban", "ip", "secret");

  private static LogPolicy logPolicy(YamlSection store) {
    List<String> redact = store.strings("redact", List.of());
    for (String k : redact) {
      if (!PII_KINDS.contains(k)) throw store.invalid("redact", "'" + k + "' is not a kind of personal data; the kinds are " + new java.util.TreeSet<>(PII_KINDS));
    }
    return new LogPolicy(List.copyOf(redact), store.integer("retention_days", 0, 0, 36_500));
  }

  private static WebConfig web(YamlSection w) {
    String search = w.choice("search", "none", Set.of("none", "searxng", "brave"));
    String url = w.text("search_url", search.equals("brave") ? "https://api.search.brave.com" : null);
    if (search.equals("searxng") && url == null) throw w.invalid("search_url", "is required with search: searxng (the instance's base URL, like http://localhost:8888)");
    java.net.URI searchUrl = url == null ? null : httpUrl(w, "search_url", url);
    List<java.net.URI> urls = new ArrayList<>();
    for (String u : w.strings("urls", List.of())) urls.add(httpUrl(w, "urls", u));
    List<String> allow = w.strings("allow", List.of());
    for (String a : allow) {
      try {
        dev.groundwork.web.AddressGuard.Range.parse(a);
      } catch (IllegalArgumentException e) {
        throw w.invalid("allow", e.getMessage());
      }
    }
    return new WebConfig(search, searchUrl, w.text("api_key", null), w.integer("results", 5, 1, 20), w.bool("fetch_results", true), List.copyOf(urls),
        java.time.Duration.ofSeconds(w.integer("ttl_s", 3600, 0, 30 * 86_400)), java.time.Duration.ofSeconds(w.integer("timeout_s", 10, 1, 120)),
        1024L * w.integer("max_page_kb", 2048, 1, 102_400), List.copyOf(allow), w.bool("robots", true), w.text("user_agent", "groundwork/0.1"));
  }

  private static java.net.URI httpUrl(YamlSection w, String key, String value) {
    java.net.URI u = httpUrl(value);
    if (u == null) throw w.invalid(key, "must be an http(s) URL, got '" + value + "'");
    return u;
  }

  /** {@code value} parsed as an http(s) URL with a host, or null when it is not one. */
  static java.net.URI httpUrl(String value) {
    try {
      java.net.URI u = new java.net.URI(value);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null ? u : null;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static BudgetsConfig budgets(YamlSection b) {
    return new BudgetsConfig(usd(b, "day_usd"), usd(b, "month_usd"), usd(b, "key_day_usd"), usd(b, "key_month_usd"),
        b.choice("unknown_price", "refuse", Set.of("refuse", "allow")).equals("refuse"),
        b.integer("max_tokens", dev.groundwork.core.budget.Budgets.DEFAULT_MAX_TOKENS, 1, 1_000_000));
  }

  /** An amount in USD, or null when the key is absent. */
  private static Double usd(YamlSection b, String k) {
    double v = b.number(k, -1, 0, 1e9);
    return v < 0 ? null : v;
  }

  /**
   * {@code answer.rewrite_model}: a language model that condenses a conversation's follow-up into a
   * standalone question before retrieval, or null (the offline rule does it).
   */
  private static String rewriteModel(String file, YamlSection ans) {
    String v = ans.text("rewrite_model", null);
    if (v == null) return null;
    if (ModelsConfig.checkModel(file + ": answer.rewrite_model", v).equals("extractive")) {
      throw ans.invalid("rewrite_model", "must be a language model (PROVIDER:MODEL); leave it out and the offline rule rewrites follow-ups");
    }
    return v;
  }

  /** {@code answer.verifier}: a language model that checks each answer against its sources, or null. */
  private static String verifier(String file, YamlSection ans) {
    String v = ans.text("verifier", null);
    if (v == null) return null;
    if (ModelsConfig.checkModel(file + ": answer.verifier", v).equals("extractive")) {
      throw ans.invalid("verifier", "must be a language model (PROVIDER:MODEL, e.g. openai:gpt-4.1-mini or llamacpp:/path/model.gguf), got 'extractive'");
    }
    return v;
  }

  private static ServerLimits serverLimits(YamlSection s) {
    return new ServerLimits(s.integer("requests_per_minute", 0, 0, 1_000_000), s.integer("tokens_per_minute", 0, 0, 1_000_000_000),
        s.integer("max_body_mb", 10, 1, 1024), origins(s), s.integer("shutdown_grace_s", 30, 1, 3600),
        otlp(s));
  }

  private static java.net.URI otlp(YamlSection s) {
    String v = s.text("otlp_endpoint", null);
    if (v == null) return null;
    try {
      java.net.URI u = new java.net.URI(v);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) throw new java.net.URISyntaxException(v, "not http(s)");
      return u;
    } catch (java.net.URISyntaxException e) {
      throw s.invalid("otlp_endpoint", "must be the collector's OTLP/HTTP URL, like http://localhost:4318, got '" + v + "'");
    }
  }

  /** Each one a bare origin: scheme, host and optional port, as browsers send it in {@code Origin}. */
  private static List<String> origins(YamlSection s) {
    List<String> out = new ArrayList<>();
    for (String o : s.strings("allowed_origins", List.of())) {
      java.net.URI u;
      try {
        u = new java.net.URI(o);
      } catch (java.net.URISyntaxException e) {
        throw s.invalid("allowed_origins", "'" + o + "' is not a URL: " + e.getMessage());
      }
      boolean bare = (u.getRawPath() == null || u.getRawPath().isEmpty()) && u.getRawQuery() == null && u.getRawFragment() == null && u.getUserInfo() == null;
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null || !bare) {
        throw s.invalid("allowed_origins", "each must be an origin like https://console.example.com (scheme, host, optional port), got '" + o + "'");
      }
      out.add(u.getScheme() + "://" + u.getHost().toLowerCase(java.util.Locale.ROOT) + (u.getPort() < 0 ? "" : ":" + u.getPort()));
    }
    return List.copyOf(out);
  }

  private static String storeUrl(YamlSection store) {
    String url = store.text("url", null);
    if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:")) {
      throw store.invalid("url", "must be a jdbc:postgresql://HOST/DB (or jdbc:sqlite:FILE) URL, got '" + url + "'");
    }
    return url;
  }

  /** The answer model: {@code extractive} or {@code provider:model}. */
  public String answerModel() {
    return models.model();
  }

  /** This configuration with other model settings (from the command line). */
  public ProjectConfig withModels(ModelsConfig m) {
    return new ProjectConfig(sources, maxFileBytes, commitEvery, chunking, embedder, embedThreads, quantized, bm25K1, bm25B, titleBoost, tokenSignatures, retrieval, rrfK, k,
        m, contextTokens, minEvidence, minAnswerability, answerabilityModel, verifier, minVerification, maxSentences, semanticAnswers, suites, storeUrl, storeFullSync, server, rewriteModel, budgets, web, log, localTrainer, adapter, searchTool);
  }

  public int effectiveThreads() {
    return embedThreads > 0 ? embedThreads : Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
