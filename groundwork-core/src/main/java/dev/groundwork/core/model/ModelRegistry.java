package dev.groundwork.core.model;

import dev.groundwork.core.spi.Embedder;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds model providers on the class path by the prefix of a model name. Immutable after
 * construction; thread-safe.
 */
public final class ModelRegistry {
  private final Map<String, ChatModelProvider> providers = new TreeMap<>();

  public ModelRegistry(Iterable<ChatModelProvider> found) {
    for (ChatModelProvider p : found) providers.putIfAbsent(p.prefix(), p);
  }

  /** The providers that {@link ServiceLoader} finds. */
  public static ModelRegistry discover() {
    return new ModelRegistry(ServiceLoader.load(ChatModelProvider.class));
  }

  /** The name split at its first colon: {@code [provider, model]}. */
  public static String[] split(String name) {
    int i = name == null ? -1 : name.indexOf(':');
    if (i <= 0 || i == name.length() - 1) {
      throw new IllegalArgumentException("model '" + name + "' must be PROVIDER:MODEL (e.g. openai:gpt-4.1-mini, anthropic:claude-haiku-4-5, "
          + "llamacpp:/path/model.gguf) or extractive");
    }
    return new String[] {name.substring(0, i), name.substring(i + 1)};
  }

  public ChatModel chatModel(String name, ModelSettings settings) {
    String[] pm = split(name);
    return provider(pm[0], name).chatModel(pm[1], settings);
  }

  public Embedder embedder(String name, ModelSettings settings) {
    String[] pm = split(name);
    return provider(pm[0], name).embedder(pm[1], settings);
  }

  /** How {@code name}'s tokens are counted offline (exactly, or an estimate that says so). */
  public TokenCounter tokenCounter(String name) {
    String[] pm = split(name);
    return provider(pm[0], name).tokenCounter(pm[1]);
  }

  /** Every provider's published prices, by full model name; local providers' models are free. */
  public PriceTable prices() {
    Map<String, Price> all = new TreeMap<>();
    java.util.Set<String> free = new java.util.TreeSet<>();
    for (ChatModelProvider p : providers.values()) {
      p.prices().forEach((model, price) -> all.put(p.prefix() + ":" + model, price));
      if (p.local()) free.add(p.prefix());
    }
    return new PriceTable(all, free);
  }

  /** The keys provider {@code prefix} takes under {@code models.<prefix>:}; empty for an unknown one. */
  public java.util.Set<String> configKeys(String prefix) {
    ChatModelProvider p = providers.get(prefix);
    return p == null ? java.util.Set.of() : p.configKeys();
  }

  public java.util.Set<String> prefixes() {
    return java.util.Collections.unmodifiableSet(providers.keySet());
  }

  private ChatModelProvider provider(String prefix, String name) {
    ChatModelProvider p = providers.get(prefix);
    if (p == null) {
      throw new IllegalArgumentException("model '" + name + "': unknown provider '" + prefix + "'; available: " + String.join(", ", providers.keySet()));
    }
    return p;
  }
}
