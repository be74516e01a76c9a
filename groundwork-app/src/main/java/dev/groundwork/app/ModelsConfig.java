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
 */
public record ModelsConfig(String model, List<String> fallbacks, int maxTokens, Double temperature, Map<String, Endpoint> endpoints, int retries,
    Duration connectTimeout, Duration timeout, Integer contextWindow, Path modelsDir, PromptTemplate prompt, PriceTable prices, String judge) {

  /** Where a provider lives. */
  public record Endpoint(String baseUrl, String apiKey) {}

  /** The providers on the class path: each declares its prefix, its config keys and its prices. */
  static final ModelRegistry PROVIDERS = ModelRegistry.discover();

  /** Checks a model name: {@code extractive} or {@code provider:model} with a known provider. */
  static String checkModel(String where, String name) {
    if (name.equals("extractive")) return name;
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

  static ModelsConfig parse(String file, YamlSection answer, YamlSection top) {
    String model = checkModel(file + ": answer.model", answer.text("model", "extractive"));
    List<String> fallbacks = new ArrayList<>();
    for (String f : answer.strings("fallback", List.of())) fallbacks.add(checkModel(file + ": answer.fallback", f));
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

    YamlSection prompts = top.section("prompts", Set.of("system", "rules", "user", "refusal", "examples"));
    List<PromptTemplate.Example> examples = new ArrayList<>();
    for (YamlSection ex : prompts.sections("examples", Set.of("question", "sources", "answer"))) {
      examples.add(new PromptTemplate.Example(ex.requiredText("question"), ex.text("sources", null), ex.requiredText("answer")));
    }
    PromptTemplate prompt;
    try {
      prompt = new PromptTemplate(prompts.text("system", null), prompts.text("rules", null), examples, prompts.text("user", null),
          prompts.text("refusal", null));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + e.getMessage());
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
        Duration.ofSeconds(timeout), window == 0 ? null : window, dir == null ? null : Path.of(dir), prompt, PROVIDERS.prices().with(overrides), judge);
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
    String model2 = m == null ? model : checkModel("--model", m);
    List<String> fb2 = fallbacks;
    if (fb != null) {
      fb2 = new ArrayList<>();
      for (String f : fb) fb2.add(checkModel("--fallback", f));
    }
    Map<String, Endpoint> eps = new LinkedHashMap<>(endpoints);
    if ((baseUrl != null || apiKey != null) && model2.contains(":")) {
      String prefix = model2.substring(0, model2.indexOf(':'));
      Endpoint old = eps.getOrDefault(prefix, new Endpoint(null, null));
      eps.put(prefix, new Endpoint(baseUrl != null ? baseUrl : old.baseUrl(), apiKey != null ? apiKey : old.apiKey()));
    }
    return new ModelsConfig(model2, List.copyOf(fb2), maxTokens, temperature, eps, retries, connectTimeout, timeout, contextWindow, modelsDir, prompt,
        prices, judge);
  }

  /** This configuration with another judge model. */
  public ModelsConfig withJudge(String j) {
    if (j != null && (checkModel("--judge", j).equals("extractive"))) throw new IllegalArgumentException("--judge must be a language model (PROVIDER:MODEL)");
    return new ModelsConfig(model, fallbacks, maxTokens, temperature, endpoints, retries, connectTimeout, timeout, contextWindow, modelsDir, prompt, prices,
        j == null ? judge : j);
  }
}
