package dev.groundwork.cli;

import dev.groundwork.core.retrieve.NormalizedScoreFusion;
import dev.groundwork.core.retrieve.ReciprocalRankFusion;
import dev.groundwork.core.retrieve.RetrievalOptions;
import dev.groundwork.core.retrieve.SearchMode;
import dev.groundwork.core.spi.Filter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags shared by search and ask; each overrides groundwork.yaml. */
final class RetrievalFlags {
  @Option(names = "--mode", paramLabel = "MODE", description = "bm25, dense or hybrid (default: retrieval.mode, hybrid).")
  String mode;

  @Option(names = "--fusion", paramLabel = "F", description = "zscore, minmax or rrf (default: retrieval.fusion, zscore).")
  String fusion;

  @Option(names = "--late-weight", paramLabel = "W",
      description = "Weight of late-interaction (token MaxSim) rescoring of hybrid hits; 0 turns it off (default: retrieval.late_weight, 1.0).")
  Double lateWeight;

  @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Only chunks whose metadata matches; repeatable. Keys: source (a trailing * matches a prefix), media_type, title, page.")
  List<String> filters = new ArrayList<>();

  RetrievalOptions apply(RetrievalOptions base) {
    RetrievalOptions o = base;
    if (mode != null) o = o.withMode(SearchMode.parse(mode));
    if (fusion != null) {
      o = o.withFusion(switch (fusion) {
        case "rrf" -> new ReciprocalRankFusion(60);
        case "minmax" -> new NormalizedScoreFusion(NormalizedScoreFusion.Norm.MIN_MAX);
        case "zscore" -> new NormalizedScoreFusion(NormalizedScoreFusion.Norm.Z_SCORE);
        default -> throw new IllegalArgumentException("unknown fusion '" + fusion + "'; accepted: minmax, rrf, zscore");
      });
    }
    if (lateWeight != null) {
      if (!(lateWeight >= 0) || lateWeight > 100) throw new IllegalArgumentException("--late-weight must be in 0..100, got " + lateWeight);
      o = o.withLateWeight(lateWeight);
    }
    return o;
  }

  Filter filter() {
    return Filter.parse(filters);
  }
}
