package dev.groundwork.core.log;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API keys. Only a hash of each key is stored; the key itself is shown once, when created.
 * Implementations are thread-safe.
 */
public interface KeyStore {
  /**
   * What a key may do. {@link #FULL} (the default) is everything.
   *
   * @param models the models and routes it may use (empty: all served ones)
   * @param readOnly true: it may ask and search but not change the project (no uploads, deletions,
   *     eval runs or feedback)
   * @param budgetUsd the most it may spend in total, in US dollars (null: no cap)
   * @param dayUsd the most it may spend per UTC day (null: the project's default for keys, if any)
   * @param monthUsd the most it may spend per UTC month (null: the project's default for keys, if any)
   */
  record Scope(List<String> models, boolean readOnly, Double budgetUsd, Double dayUsd, Double monthUsd) {
    public static final Scope FULL = new Scope(List.of(), false, null, null, null);

    public Scope {
      models = models == null ? List.of() : List.copyOf(models);
      check("budget", budgetUsd);
      check("daily budget", dayUsd);
      check("monthly budget", monthUsd);
    }

    public Scope(List<String> models, boolean readOnly, Double budgetUsd) {
      this(models, readOnly, budgetUsd, null, null);
    }

    private static void check(String what, Double usd) {
      if (usd != null && !(usd >= 0 && usd < 1e9)) throw new IllegalArgumentException("a key's " + what + " must be in 0..1e9 USD, got " + usd);
    }

    public boolean allows(String model) {
      return models.isEmpty() || models.contains(model);
    }

    public boolean full() {
      return equals(FULL);
    }
  }

  /** A key as listed: never the secret. */
  record Key(String id, String name, Instant created, boolean revoked, Scope scope) {
    public Key {
      scope = scope == null ? Scope.FULL : scope;
    }

    public Key(String id, String name, Instant created, boolean revoked) {
      this(id, name, created, revoked, Scope.FULL);
    }
  }

  /** A new key and its secret (shown once). */
  record Created(Key key, String secret) {}

  default Created create(String name) {
    return create(name, Scope.FULL);
  }

  Created create(String name, Scope scope);

  List<Key> list();

  /** @return false when no such key */
  boolean revoke(String id);

  /** The active key whose secret this is, or empty. */
  Optional<Key> verify(String secret);
}
