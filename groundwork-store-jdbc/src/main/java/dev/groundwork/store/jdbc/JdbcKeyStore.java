package dev.groundwork.store.jdbc;

import dev.groundwork.core.log.KeyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API keys in a {@link JdbcStore}. A key is {@code gw_<id>_<secret>} with 256 random bits of secret;
 * only the SHA-256 of the whole key is stored, and a lookup compares hashes in constant time.
 * Thread-safe.
 */
public final class JdbcKeyStore implements KeyStore {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final JdbcStore store;

  public JdbcKeyStore(JdbcStore store) {
    this.store = store;
  }

  @Override
  public Created create(String name, Scope scope) {
    if (name == null || name.isBlank() || name.length() > 200) throw new IllegalArgumentException("a key needs a name of 1..200 characters");
    String id = random(6);
    String secret = "gw_" + id + "_" + random(32);
    Instant now = Instant.now();
    store.with(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, name, hash, created_ms, revoked, scope) VALUES (?,?,?,?,0,?)")) {
        ps.setString(1, id);
        ps.setString(2, name);
        ps.setString(3, sha256(secret));
        ps.setLong(4, now.toEpochMilli());
        ps.setString(5, scope.full() ? null : writeScope(scope));
        ps.executeUpdate();
      }
      return null;
    });
    return new Created(new Key(id, name, now, false, scope), secret);
  }

  @Override
  public List<Key> list() {
    return store.with(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created_ms, revoked, scope FROM api_keys ORDER BY created_ms, id");
          ResultSet rs = ps.executeQuery()) {
        List<Key> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new Key(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getInt(4) == 1, readScope(rs.getString(5))));
        }
        return out;
      }
    });
  }

  @Override
  public boolean revoke(String id) {
    return store.with(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked = 1 WHERE id = ?")) {
        ps.setString(1, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Optional<Key> verify(String secret) {
    if (secret == null || !secret.matches("gw_[0-9a-f]{12}_[0-9a-f]{64}")) return Optional.empty();
    String id = secret.substring(3, 15);
    byte[] want = sha256(secret).getBytes(StandardCharsets.US_ASCII);
    return store.with(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created_ms, revoked, hash, scope FROM api_keys WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getInt(4) == 1) return Optional.empty();
          if (!MessageDigest.isEqual(want, rs.getString(5).getBytes(StandardCharsets.US_ASCII))) return Optional.empty();
          return Optional.of(new Key(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), false, readScope(rs.getString(6))));
        }
      }
    });
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * A scope as stored: {@code {"models": [...], "read_only": bool, "budget_usd": n|null, "day_usd": n|null, "month_usd": n|null}};
   * null in the column means full access.
   */
  static String writeScope(Scope s) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("models", s.models());
    m.put("read_only", s.readOnly());
    m.put("budget_usd", s.budgetUsd());
    m.put("day_usd", s.dayUsd());
    m.put("month_usd", s.monthUsd());
    try {
      return JSON.writeValueAsString(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Scope readScope(String json) {
    if (json == null) return Scope.FULL;
    try {
      com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(json);
      List<String> models = new ArrayList<>();
      n.path("models").forEach(x -> models.add(x.asText()));
      return new Scope(models, n.path("read_only").asBoolean(false), usd(n, "budget_usd"), usd(n, "day_usd"), usd(n, "month_usd"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("api_keys.scope is corrupt: " + e.getMessage(), e);
    }
  }

  private static Double usd(com.fasterxml.jackson.databind.JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asDouble() : null;
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
