package dev.groundwork.app;

import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.core.retrieve.NormalizedScoreFusion;
import dev.groundwork.core.retrieve.ReciprocalRankFusion;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.retrieve.SearchMode;
import dev.groundwork.core.spi.Filter;
import java.util.List;
import java.util.function.Consumer;

/** The typed requests the use cases of {@link Groundwork} take. Each validates itself and names the bad field. */
public final class Requests {
  private Requests() {}

  /**
   * Retrieval overrides of groundwork.yaml's {@code retrieval:} section; a null field keeps the
   * configured value.
   *
   * @param mode bm25, dense or hybrid
   * @param fusion zscore, minmax or rrf (rrf uses retrieval.rrf_k)
   * @param lateWeight 0..100; 0 turns late-interaction rescoring off
   * @param filters {@code key=value} metadata filters (source, media_type, title, page)
   */
  public record Retrieval(String mode, String fusion, Double lateWeight, List<String> filters) {
    public static final Retrieval DEFAULTS = new Retrieval(null, null, null, List.of());

    public Retrieval {
      filters = filters == null ? List.of() : List.copyOf(filters);
      if (mode != null && !List.of("bm25", "dense", "hybrid").contains(mode)) {
        throw new BadInputException("unknown search mode '" + mode + "'; accepted: bm25, dense, hybrid");
      }
      if (fusion != null && !List.of("zscore", "minmax", "rrf").contains(fusion)) {
        throw new BadInputException("unknown fusion '" + fusion + "'; accepted: minmax, rrf, zscore");
      }
      if (lateWeight != null && (!(lateWeight >= 0) || lateWeight > 100)) {
        throw new BadInputException("late weight must be in 0..100, got " + lateWeight);
      }
    }

    /** {@code base} with these overrides; {@code rrfK} is the configured RRF constant. */
    public RetrievalOptions apply(RetrievalOptions base, int rrfK) {
      RetrievalOptions o = base;
      if (mode != null) o = o.withMode(SearchMode.parse(mode));
      if (fusion != null) {
        o = o.withFusion(switch (fusion) {
          case "rrf" -> new ReciprocalRankFusion(rrfK);
          case "minmax" -> new NormalizedScoreFusion(NormalizedScoreFusion.Norm.MIN_MAX);
          default -> new NormalizedScoreFusion(NormalizedScoreFusion.Norm.Z_SCORE);
        });
      }
      if (lateWeight != null) o = o.withLateWeight(lateWeight);
      return o;
    }

    Filter filter() {
      try {
        return Filter.parse(filters);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("filter: " + e.getMessage(), e);
      }
    }
  }

  /** @param k results, 1..1000 */
  public record Search(String query, int k, Retrieval retrieval) {
    public Search {
      query = Limits.query(query, "query");
      Limits.k(k, Limits.MAX_SEARCH_K, "k");
      retrieval = retrieval == null ? Retrieval.DEFAULTS : retrieval;
    }

    public static Search of(String query, int k) {
      return new Search(query, k, Retrieval.DEFAULTS);
    }
  }

  /**
   * @param k chunks to retrieve, 1..50, or null for retrieval.k
   * @param model the answering model, or null for answer.model (and its fallbacks)
   * @param jsonSchema a JSON Schema the answer must match (needs a language model), or null
   * @param onToken receives the answer as it is written, or null
   */
  public record Ask(String question, Integer k, Retrieval retrieval, String model, String jsonSchema, Consumer<String> onToken) {
    public Ask {
      question = Limits.query(question, "question");
      if (k != null) Limits.k(k, Limits.MAX_ASK_K, "k");
      retrieval = retrieval == null ? Retrieval.DEFAULTS : retrieval;
    }

    public static Ask of(String question) {
      return new Ask(question, null, Retrieval.DEFAULTS, null, null, null);
    }
  }

  /**
   * @param paths files, folders or globs relative to the project; empty for groundwork.yaml's {@code sources}
   * @param rebuild delete the index first (the embedding cache is kept)
   * @param progress told of each file, or {@link IngestListener#NONE}
   */
  public record Ingest(List<String> paths, boolean rebuild, IngestListener progress) {
    public Ingest {
      paths = paths == null ? List.of() : List.copyOf(paths);
      progress = progress == null ? IngestListener.NONE : progress;
    }

    public static Ingest of(String... paths) {
      return new Ingest(List.of(paths), false, IngestListener.NONE);
    }
  }
}
