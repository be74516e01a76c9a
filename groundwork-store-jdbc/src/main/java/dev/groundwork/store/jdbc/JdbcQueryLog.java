package dev.groundwork.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.log.QueryLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** The query log in a {@link JdbcStore}. Lists are stored as JSON text. Thread-safe. */
public final class JdbcQueryLog implements QueryLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JdbcStore store;

  public JdbcQueryLog(JdbcStore store) {
    this.store = store;
  }

  @Override
  public void record(Entry e) {
    recordAll(List.of(e));
  }

  /** One transaction for all of {@code entries}: one commit, and with SQLite one sync of its write-ahead log. */
  @Override
  public void recordAll(List<Entry> entries) {
    if (entries.isEmpty()) return;
    store.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO queries (id, time_ms, key_id, question, answer, refused, model, fallback, retrieved, "
          + "citations, input_tokens, output_tokens, cost_usd, latency_ms, prompt_version, error, route, rewritten_query) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        for (Entry e : entries) {
          ps.setString(1, e.id());
          ps.setLong(2, e.time().toEpochMilli());
          ps.setString(3, e.keyId());
          ps.setString(4, e.question());
          ps.setString(5, e.answer());
          ps.setInt(6, e.refused() ? 1 : 0);
          ps.setString(7, e.model());
          ps.setInt(8, e.fallback() ? 1 : 0);
          Map<String, Object> retrieved = new LinkedHashMap<>();
          retrieved.put("ids", e.retrieved());
          retrieved.put("scores", e.scores());
          ps.setString(9, json(retrieved));
          ps.setString(10, json(e.citations()));
          ps.setLong(11, e.inputTokens());
          ps.setLong(12, e.outputTokens());
          if (e.costUsd() == null) ps.setNull(13, java.sql.Types.DOUBLE);
          else ps.setDouble(13, e.costUsd());
          ps.setLong(14, e.latencyMs());
          ps.setString(15, e.promptVersion());
          ps.setString(16, e.error());
          ps.setString(17, e.route());
          ps.setString(18, e.rewrittenQuery());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }


  @Override
  public int purge(Purge p) {
    StringBuilder where = new StringBuilder();
    List<Object> args = new java.util.ArrayList<>();
    if (p.id() != null) {
      where.append("id = ?");
      args.add(p.id());
    }
    if (p.keyId() != null) {
      where.append(where.isEmpty() ? "" : " AND ").append("key_id = ?");
      args.add(p.keyId());
    }
    if (p.before() != null) {
      where.append(where.isEmpty() ? "" : " AND ").append("time_ms < ?");
      args.add(p.before().toEpochMilli());
    }
    return store.inTransaction(c -> {
      try (PreparedStatement fb = c.prepareStatement("DELETE FROM feedback WHERE query_id IN (SELECT id FROM queries WHERE " + where + ")");
          PreparedStatement q = c.prepareStatement("DELETE FROM queries WHERE " + where)) {
        for (int i = 0; i < args.size(); i++) {
          fb.setObject(i + 1, args.get(i));
          q.setObject(i + 1, args.get(i));
        }
        fb.executeUpdate();
        return q.executeUpdate();
      }
    });
  }

  @Override
  public void feedback(Feedback f) {
    store.with(c -> {
      try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM queries WHERE id = ?")) {
        check.setString(1, f.queryId());
        try (ResultSet rs = check.executeQuery()) {
          if (!rs.next()) throw new NoSuchElementException("no logged query with id " + f.queryId());
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO feedback (query_id, time_ms, rating, corrected_answer, comment) VALUES (?,?,?,?,?)")) {
        ps.setString(1, f.queryId());
        ps.setLong(2, f.time().toEpochMilli());
        ps.setString(3, f.rating());
        ps.setString(4, f.correctedAnswer());
        ps.setString(5, f.comment());
        ps.executeUpdate();
      }
      return null;
    });
  }

  private static final String SELECT = "SELECT q.*, f.rating, f.corrected_answer, f.comment, f.time_ms AS f_time FROM queries q "
      + "LEFT JOIN feedback f ON f.query_id = q.id AND f.time_ms = (SELECT MAX(f2.time_ms) FROM feedback f2 WHERE f2.query_id = q.id)";

  @Override
  public List<Logged> list(Query q) {
    StringBuilder sql = new StringBuilder(SELECT).append(" WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (q.from() != null) {
      sql.append(" AND q.time_ms >= ?");
      args.add(q.from().toEpochMilli());
    }
    if (q.to() != null) {
      sql.append(" AND q.time_ms < ?");
      args.add(q.to().toEpochMilli());
    }
    if (q.model() != null) {
      sql.append(" AND q.model = ?");
      args.add(q.model());
    }
    if (q.refused() != null) {
      sql.append(" AND q.refused = ?");
      args.add(q.refused() ? 1 : 0);
    }
    if ("none".equals(q.feedback())) sql.append(" AND f.rating IS NULL");
    else if (q.feedback() != null) {
      sql.append(" AND f.rating = ?");
      args.add(q.feedback());
    }
    sql.append(" ORDER BY q.time_ms DESC, q.id DESC LIMIT ? OFFSET ?");
    args.add(q.limit());
    args.add(q.offset());
    return store.with(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
        try (ResultSet rs = ps.executeQuery()) {
          List<Logged> out = new ArrayList<>();
          while (rs.next()) out.add(row(rs));
          return out;
        }
      }
    });
  }

  @Override
  public Optional<Logged> get(String id) {
    return store.with(c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE q.id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
      }
    });
  }

  private static Logged row(ResultSet rs) throws SQLException {
    Map<String, List<Object>> retrieved = read(rs.getString("retrieved"), new TypeReference<>() {});
    List<String> ids = retrieved.getOrDefault("ids", List.of()).stream().map(String::valueOf).toList();
    List<Double> scores = retrieved.getOrDefault("scores", List.of()).stream().map(o -> ((Number) o).doubleValue()).toList();
    double cost = rs.getDouble("cost_usd");
    Double costUsd = rs.wasNull() ? null : cost;
    Entry e = new Entry(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("time_ms")), rs.getString("key_id"), rs.getString("question"),
        rs.getString("answer"), rs.getInt("refused") == 1, rs.getString("model"), rs.getInt("fallback") == 1, ids, scores,
        read(rs.getString("citations"), new TypeReference<List<String>>() {}), rs.getLong("input_tokens"), rs.getLong("output_tokens"), costUsd,
        rs.getLong("latency_ms"), rs.getString("prompt_version"), rs.getString("error"), rs.getString("route"), rs.getString("rewritten_query"));
    String rating = rs.getString("rating");
    Feedback f = rating == null ? null
        : new Feedback(e.id(), rating, rs.getString("corrected_answer"), rs.getString("comment"), Instant.ofEpochMilli(rs.getLong("f_time")));
    return new Logged(e, f);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T read(String s, TypeReference<T> t) {
    try {
      return JSON.readValue(s, t);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("query log row is corrupt: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
