package dev.groundwork.core.log;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API keys. Only a hash of each key is stored; the key itself is shown once, when created.
 * Implementations are thread-safe.
 */
public interface KeyStore {
  /** A key as listed: never the secret. */
  record Key(String id, String name, Instant created, boolean revoked) {}

  /** A new key and its secret (shown once). */
  record Created(Key key, String secret) {}

  Created create(String name);

  List<Key> list();

  /** @return false when no such key */
  boolean revoke(String id);

  /** The active key whose secret this is, or empty. */
  Optional<Key> verify(String secret);
}
