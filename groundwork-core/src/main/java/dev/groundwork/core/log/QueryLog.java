package dev.groundwork.core.log;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where answered requests are recorded, with the feedback given on them later. Implementations are
 * thread-safe and keep what was recorded when the process dies (a record is durable when
 * {@link #record} returns).
 */
public interface QueryLog extends AutoCloseable {
  /**
   * One answered (or failed) request.
   *
   * @param keyId the API key's id, or null without auth
   * @param retrieved chunk ids in rank order, with {@code scores} alongside
   * @param citations the sources the answer cites ({@code [n] path})
   * @param costUsd null when a price was unknown
   * @param error what failed, or null
   * @param route when a route answered: its record as JSON (every model tried, why it escalated, each attempt's tokens and cost), else null
   * @param rewrittenQuery when a conversation's follow-up was made standalone: the query used ({@code question} is as asked), else null
   */
  record Entry(String id, Instant time, String keyId, String question, String answer, boolean refused, String model, boolean fallback,
      List<String> retrieved, List<Double> scores, List<String> citations, long inputTokens, long outputTokens, Double costUsd, long latencyMs,
      String promptVersion, String error, String route, String rewrittenQuery) {
    public Entry {
      retrieved = List.copyOf(retrieved);
      scores = List.copyOf(scores);
      citations = List.copyOf(citations);
    }

    /** An entry for a single question (no conversation). */
    public Entry(String id, Instant time, String keyId, String question, String answer, boolean refused, String model, boolean fallback,
        List<String> retrieved, List<Double> scores, List<String> citations, long inputTokens, long outputTokens, Double costUsd, long latencyMs,
        String promptVersion, String error, String route) {
      this(id, time, keyId, question, answer, refused, model, fallback, retrieved, scores, citations, inputTokens, outputTokens, costUsd, latencyMs,
          promptVersion, error, route, null);
    }

    /** An entry no route answered. */
    public Entry(String id, Instant time, String keyId, String question, String answer, boolean refused, String model, boolean fallback,
        List<String> retrieved, List<Double> scores, List<String> citations, long inputTokens, long outputTokens, Double costUsd, long latencyMs,
        String promptVersion, String error) {
      this(id, time, keyId, question, answer, refused, model, fallback, retrieved, scores, citations, inputTokens, outputTokens, costUsd, latencyMs,
          promptVersion, error, null, null);
    }
  }

  /**
   * Feedback on a logged query.
   *
   * @param rating {@code up} or {@code down}
   * @param correctedAnswer what the answer should have been, or null
   */
  record Feedback(String queryId, String rating, String correctedAnswer, String comment, Instant time) {
    public Feedback {
      if (!"up".equals(rating) && !"down".equals(rating)) throw new IllegalArgumentException("rating must be up or down, got '" + rating + "'");
    }
  }

  /** An entry with its latest feedback, if any. */
  record Logged(Entry entry, Feedback feedback) {}

  /**
   * Which entries to list, newest first.
   *
   * @param feedback {@code up}, {@code down}, {@code none}, or null for any
   * @param refused only refused (true) or answered (false) entries, or null for both
   */
  record Query(Instant from, Instant to, String model, String feedback, Boolean refused, int limit, int offset) {
    public Query {
      if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be in 1..1000, got " + limit);
      if (offset < 0) throw new IllegalArgumentException("offset must be >= 0");
      if (feedback != null && !List.of("up", "down", "none").contains(feedback)) {
        throw new IllegalArgumentException("feedback must be up, down or none, got '" + feedback + "'");
      }
    }

    public static Query latest(int limit) {
      return new Query(null, null, null, null, null, limit, 0);
    }
  }

  void record(Entry e);

  /**
   * Records {@code entries} together: all of them or, on an error, none. A store with transactions
   * writes them in one, so that one commit (one sync to disk) covers many answers.
   */
  default void recordAll(List<Entry> entries) {
    for (Entry e : entries) record(e);
  }

  /** @throws java.util.NoSuchElementException when no query has that id */
  void feedback(Feedback f);

  List<Logged> list(Query q);

  /**
   * Every entry matching the filters (any of them null for all), newest first, read a page of 1000 at
   * a time; for readers that need them all (datasets, routers, the advisor), not for reports over a
   * long log.
   */
  default List<Logged> listAll(Instant from, Instant to, String model, String feedback, Boolean refused) {
    List<Logged> out = new java.util.ArrayList<>();
    for (int offset = 0; ; offset += 1000) {
      List<Logged> page = list(new Query(from, to, model, feedback, refused, 1000, offset));
      out.addAll(page);
      if (page.size() < 1000) return out;
    }
  }

  /**
   * Which entries to delete: those matching every criterion given (at least one).
   *
   * @param id one query
   * @param keyId every query of one API key
   * @param before every query logged before this instant
   */
  record Purge(String id, String keyId, Instant before) {
    public Purge {
      if (id == null && keyId == null && before == null) throw new IllegalArgumentException("a purge needs a query id, a key or a date");
    }
  }

  /** Deletes the matching entries and their feedback, in one transaction; returns how many entries went. */
  default int purge(Purge p) {
    throw new UnsupportedOperationException("this query log cannot delete entries");
  }

  Optional<Logged> get(String id);

  @Override
  void close();
}
