package dev.groundwork.app;

import dev.groundwork.core.answer.PromptTemplate;
import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.model.Price;
import dev.groundwork.core.model.PriceTable;
import dev.groundwork.yaml.YamlSection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How answers are generated: the model and its fallbacks, how to reach each provider, retries and
 * timeouts, the prompt template, and the price table. Parsed from the {@code answer}, {@code models},
 * {@code prompts} and {@code prices} sections of groundwork.yaml.
 *
 * @param model {@code extractive} or {@code provider:model}
 * @param fallbacks models tried in order when {@code model} fails with a retryable error
 * @param endpoints base URL and key per provider prefix (null parts fall back to the environment)
 * @param retries attempts per model after the first, on 429, 5xx and timeouts
 * @param modelsDir where {@code groundwork models pull} puts files, or null for the default
 * @param judge the model that grades {@code llm-rubric} (and {@code grounded}) in evals, or null
 * @param routes the {@code routes:} section: a route name is a model name ({@code route:NAME})
 * @param promptFile the prompt file ({@code prompts.file}, resolved against the project) the prompt was read from, or null when
 *     the prompts are written in groundwork.yaml itself
 */
public record ModelsConfig(String model, List<String> fallbacks, int maxTokens, Double temperature, Map<String, Endpoint> endpoints, int retries,
    Duration connectTimeout, Duration timeout, Integer contextWindow, Path modelsDir, PromptTemplate prompt, PriceTable prices, String judge,
    Map<String, Route> routes, Path promptFile) {

  /** The keys of a prompt set, in groundwork.yaml's {@code prompts:} or in a prompt file. */
  static final Set<String> PROMPT_KEYS = Set.of("system", "rules", "style", "user", "refusal", "examples");

  /** The prefix that makes a route's name a model name. */
  public static final String ROUTE_PREFIX = "route:";

  /**
   * A route: its models, cheapest first, and how it picks among them.
   *
   * @param policy {@code cascade} (each model in turn until an answer passes the checks), {@code fixed} (the first model only) or
   *     {@code learned} (the promoted router sends what the cheap model would fail straight to the strong one; the rest cascades)
   * @param schema a JSON Schema file (relative to the project) answers must match, or null
   * @param verifier a language model that checks each answer against its sources before it is accepted, or null
   */
  /** @param minLogprob escalate when an answer's mean token log-probability is below this (null: no such check) */
  public record Route(String name, List<String> models, String policy, String schema, String verifier, double minVerification, Double minLogprob) {
    public Route {
      models = List.copyOf(models);
    }

    public Route(String name, List<String> models, String policy, String schema, String verifier, double minVerification) {
      this(name, models, policy, schema, verifier, minVerification, null);
    }
  }

  public ModelsConfig {
    routes = routes == null ? Map.of() : Map.copyOf(routes);
  }

  /** The route {@code name} names ({@code route:NAME}), or null when it is not a route. */
  public Route route(String name) {
    return name != null && name.startsWith(ROUTE_PREFIX) ? routes.get(name.substring(ROUTE_PREFIX.length())) : null;
  }

  /** Checks a model name that may also be a route of this configuration. */
  String checkModelOrRoute(String where, String name) {
    return checkModelOrRoute(where, name, routes);
  }

  private static String checkModelOrRoute(String where, String name, Map<String, Route> routes) {
    if (name.startsWith(ROUTE_PREFIX)) {
      String r = name.substring(ROUTE_PREFIX.length());
      if (!routes.containsKey(r)) {
        throw new ConfigException(where + ": no route '" + r + "'" + (routes.isEmpty() ? "; define it under routes: in groundwork.yaml"
            : "; the routes are " + String.join(", ", new java.util.TreeSet<>(routes.keySet()))));
      }
      return name;
    }
    return checkModel(where, name);
  }

  static Map<String, Route> parseRoutes(String file, YamlSection top) {
    YamlSection section = top.section("routes", null);
    Map<String, Route> routes = new LinkedHashMap<>();
    for (String name : section.keys()) {
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) throw section.invalid(name, "a route name is letters, digits, '_', '.' and '-' (at most 64)");
      YamlSection r = section.section(name, Set.of("models", "policy", "schema", "verifier", "min_verification", "min_logprob"));
      List<String> models = r.strings("models", List.of());
      if (models.size() < 2) throw r.invalid("models", "a route lists two or more models, cheapest first (got " + models.size() + ")");
      for (String m : models) {
        if (m.startsWith(ROUTE_PREFIX)) throw r.invalid("models", "a route cannot contain a route ('" + m + "')");
        checkModel(file + ": routes." + name + ".models", m);
      }
      if (new java.util.HashSet<>(models).size() != models.size()) throw r.invalid("models", "lists a model twice");
      String policy = r.choice("policy", "cascade", Set.of("cascade", "fixed", "learned"));
      String verifier = r.text("verifier", null);
      if (verifier != null && checkModel(file + ": routes." + name + ".verifier", verifier).equals("extractive")) {
        throw r.invalid("verifier", "must be a language model (PROVIDER:MODEL)");
      }
      double minLogprob = r.number("min_logprob", 1, -100, 0); // 1: absent
      routes.put(name, new Route(name, models, policy, r.text("schema", null), verifier, r.number("min_verification", 0.5, 0, 1),
          minLogprob > 0 ? null : minLogprob));
    }
    return routes;
  }

  /** Where a provider lives. */
  public record Endpoint(String baseUrl, String apiKey) {}

  /** The providers on the class path: each declares its prefix, its config keys and its prices. */
  static final ModelRegistry PROVIDERS = ModelRegistry.discover();

  /** Checks a model name: {@code extractive} or {@code provider:model} with a known provider. */
  static String checkModel(String where, String name) {
    if (name.equals("extractive")) return name;
    // a model alias (support@production): its versions live in the registry and are resolved per call
    if (dev.groundwork.app.versions.ModelVersions.isAlias(name)) return name;
    String[] pm;
    try {
      pm = ModelRegistry.split(name);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
    if (!PROVIDERS.prefixes().contains(pm[0])) {
      throw new ConfigException(where + ": unknown provider '" + pm[0] + "' in '" + name + "'; accepted: extractive, "
          + String.join(":MODEL, ", PROVIDERS.prefixes()) + ":MODEL");
    }
    return name;
  }

  static ModelsConfig parse(String file, YamlSection answer, YamlSection top, Path base) {
    Map<String, Route> routes = parseRoutes(file, top);
    String model = checkModelOrRoute(file + ": answer.model", answer.text("model", "extractive"), routes);
    List<String> fallbacks = new ArrayList<>();
    for (String f : answer.strings("fallback", List.of())) fallbacks.add(checkModelOrRoute(file + ": answer.fallback", f, routes));
    int maxTokens = answer.integer("max_tokens", 1024, 1, 1_000_000);
    double temp = answer.number("temperature", 0, 0, 2);

    // each provider with settings of its own gets a section under models: named by its prefix
    Set<String> modelKeys = new java.util.TreeSet<>(Set.of("retries", "timeout_s", "connect_timeout_s", "context_window", "models_dir"));
    for (String prefix : PROVIDERS.prefixes()) if (!PROVIDERS.configKeys(prefix).isEmpty()) modelKeys.add(prefix);
    YamlSection models = top.section("models", modelKeys);
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    for (String provider : PROVIDERS.prefixes()) {
      Set<String> keys = PROVIDERS.configKeys(provider);
      if (keys.isEmpty()) continue;
      YamlSection e = models.section(provider, keys);
      endpoints.put(provider, new Endpoint(e.text("base_url", null), e.text("api_key", null)));
    }
    int retries = models.integer("retries", 2, 0, 10);
    int timeout = models.integer("timeout_s", 120, 1, 3600);
    int connect = models.integer("connect_timeout_s", 10, 1, 600);
    int window = models.integer("context_window", 0, 0, 10_000_000);
    if (window != 0 && window < 256) throw models.invalid("context_window", "must be 0 (the model's default) or >= 256, got " + window);
    String dir = models.text("models_dir", null);

    Set<String> promptKeys = new java.util.HashSet<>(PROMPT_KEYS);
    promptKeys.add("file");
    YamlSection prompts = top.section("prompts", promptKeys);
    String promptFileName = prompts.text("file", null);
    Path promptFile = null;
    PromptTemplate prompt;
    if (promptFileName == null) {
      prompt = prompt(file, prompts);
    } else {
      for (String k : PROMPT_KEYS) {
        if (prompts.has(k)) throw prompts.invalid(k, "cannot be set beside prompts.file (" + promptFileName + "): put it in that file");
      }
      if (base == null) throw prompts.invalid("file", "needs the project folder to be read against");
      promptFile = base.resolve(promptFileName).normalize();
      if (!promptFile.startsWith(base.normalize())) throw prompts.invalid("file", "must be inside the project folder, got " + promptFileName);
      prompt = readPrompts(promptFile);
    }

    YamlSection prices = top.section("prices", null);
    Map<String, Price> overrides = new LinkedHashMap<>();
    for (String name : prices.keys()) {
      checkModel(file + ": prices", name);
      YamlSection p = prices.section(name, Set.of("input", "cached_input", "output"));
      double in = p.number("input", -1, 0, 10_000);
      if (in < 0) throw prices.invalid(name + ".input", "is required (USD per 1M input tokens)");
      overrides.put(name, new Price(in, p.number("cached_input", in, 0, 10_000), p.number("output", 0, 0, 10_000)));
    }
    String judge = top.section("eval", Set.of("judge")).text("judge", null);
    if (judge != null) {
      checkModel(file + ": eval.judge", judge);
      if (judge.equals("extractive")) throw new ConfigException(file + ": eval.judge: must be a language model (PROVIDER:MODEL)");
    }
    return new ModelsConfig(model, List.copyOf(fallbacks), maxTokens, temp, endpoints, retries, Duration.ofSeconds(connect),
        Duration.ofSeconds(timeout), window == 0 ? null : window, dir == null ? null : Path.of(dir), prompt, PROVIDERS.prices().with(overrides), judge,
        routes, promptFile);
  }

  /**
   * Reads a prompt file: a YAML mapping with the keys of groundwork.yaml's {@code prompts:} section
   * ({@code system}, {@code rules}, {@code style}, {@code user}, {@code refusal}, {@code examples}).
   *
   * @throws ConfigException naming the file and the key
   */
  public static PromptTemplate readPrompts(Path f) {
    String name = f.getFileName().toString();
    byte[] bytes;
    try {
      bytes = java.nio.file.Files.readAllBytes(f);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException(f + ": no such prompt file (prompts.file in groundwork.yaml names it)");
    } catch (java.io.IOException e) {
      throw new ConfigException(f + ": cannot read: " + e.getMessage());
    }
    var doc = dev.groundwork.yaml.YamlDocument.parse(name, bytes, ConfigException::new);
    return prompt(name, new YamlSection(name, "", doc, PROMPT_KEYS, ConfigException::new));
  }

  private static PromptTemplate prompt(String file, YamlSection prompts) {
    List<PromptTemplate.Example> examples = new ArrayList<>();
    for (YamlSection ex : prompts.sections("examples", Set.of("question", "sources", "answer"))) {
      examples.add(new PromptTemplate.Example(ex.requiredText("question"), ex.text("sources", null), ex.requiredText("answer")));
    }
    try {
      return new PromptTemplate(prompts.text("system", null), prompts.text("rules", null), examples, prompts.text("user", null),
          prompts.text("refusal", null), prompts.text("style", null));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + e.getMessage());
    }
  }

  /** This configuration answering with {@code p}, read from {@code file} (null: written in groundwork.yaml). */
  public ModelsConfig withPrompt(PromptTemplate p, Path file) {
    return new ModelsConfig(model, fallbacks, maxTokens, temperature, endpoints, retries, connectTimeout, timeout, contextWindow, modelsDir, p, prices,
        judge, routes, file);
  }

  /** The settings for {@code modelName}: its provider's endpoint, timeouts and window. */
  public ModelSettings settings(String modelName, Map<String, String> env, Path root) {
    String prefix = modelName.contains(":") ? modelName.substring(0, modelName.indexOf(':')) : modelName;
    Endpoint e = endpoints.getOrDefault(prefix, new Endpoint(null, null));
    Path dir = modelsDir == null ? null : root.resolve(modelsDir);
    return new ModelSettings(e.baseUrl(), e.apiKey(), connectTimeout, timeout, contextWindow, dir, env);
  }

  /**
   * This configuration with the command line's choices on top; null leaves a setting as configured,
   * and a fallback list (even an empty one) replaces the configured fallbacks.
   */
  public ModelsConfig override(String m, List<String> fb, String baseUrl, String apiKey) {
    String model2 = m == null ? model : checkModelOrRoute("--model", m);
    List<String> fb2 = fallbacks;
    if (fb != null) {
      fb2 = new ArrayList<>();
      for (String f : fb) fb2.add(checkModelOrRoute("--fallback", f));
    }
    Map<String, Endpoint> eps = new LinkedHashMap<>(endpoints);
    if ((baseUrl != null || apiKey != null) && model2.contains(":")) {
      String prefix = model2.substring(0, model2.indexOf(':'));
      Endpoint old = eps.getOrDefault(prefix, new Endpoint(null, null));
      eps.put(prefix, new Endpoint(baseUrl != null ? baseUrl : old.baseUrl(), apiKey != null ? apiKey : old.apiKey()));
    }
    return new ModelsConfig(model2, List.copyOf(fb2), maxTokens, temperature, eps, retries, connectTimeout, timeout, contextWindow, modelsDir, prompt,
        prices, judge, routes, promptFile);
  }

  /** The fallbacks that are language models (a chat model's chain), in order. */
  public List<String> modelFallbacks() {
    return fallbacks.stream().filter(f -> !f.startsWith(ROUTE_PREFIX)).toList();
  }

  /** The fallbacks that are routes (they answer when the model and its model fallbacks fail), in order. */
  public List<String> routeFallbacks() {
    return fallbacks.stream().filter(f -> f.startsWith(ROUTE_PREFIX)).toList();
  }

  /** This configuration with another judge model. */
  public ModelsConfig withJudge(String j) {
    if (j != null && (checkModel("--judge", j).equals("extractive"))) throw new IllegalArgumentException("--judge must be a language model (PROVIDER:MODEL)");
    return new ModelsConfig(model, fallbacks, maxTokens, temperature, endpoints, retries, connectTimeout, timeout, contextWindow, modelsDir, prompt, prices,
        j == null ? judge : j, routes, promptFile);
  }
}
