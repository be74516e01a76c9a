package dev.groundwork.cli;

import dev.groundwork.app.Requests;
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

  /** These flags as the retrieval part of a request (null fields keep groundwork.yaml's values). */
  Requests.Retrieval request() {
    return new Requests.Retrieval(mode, fusion, lateWeight, filters);
  }
}
