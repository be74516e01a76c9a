package dev.groundwork.core.retrieve;

/**
 * How {@link HybridRetriever} searches.
 *
 * @param candidates how many hits each of BM25 and dense contributes before fusion (>= k)
 * @param autoMerge fraction of a parent's leaves that must be retrieved to merge them into it (> 1 disables)
 * @param lateWeight weight of the late-interaction (token MaxSim) score against the fused score when
 *     hybrid results are rescored; 0 disables rescoring
 * @param lateDepth how many of the fused hits are rescored by late interaction
 * @param lateIdf weight each query token by the rarity (IDF) of its word in the index, instead of equally
 */
public record RetrievalOptions(
    SearchMode mode, Fusion fusion, double bm25Weight, double denseWeight, int candidates, double autoMerge,
    double lateWeight, int lateDepth, boolean lateIdf) {

  public static final RetrievalOptions DEFAULT = new RetrievalOptions(
      SearchMode.HYBRID, new NormalizedScoreFusion(NormalizedScoreFusion.Norm.Z_SCORE), 1.0, 1.0, 100, 0.5, 1.0, 100, true);

  public RetrievalOptions {
    if (candidates < 1 || candidates > 10_000) throw new IllegalArgumentException("retrieval.candidates must be in 1..10000, got " + candidates);
    if (bm25Weight < 0 || denseWeight < 0 || bm25Weight + denseWeight == 0)
      throw new IllegalArgumentException("retrieval weights must be >= 0 and not both 0");
    if (!(lateWeight >= 0) || Double.isInfinite(lateWeight)) throw new IllegalArgumentException("retrieval.late_weight must be >= 0, got " + lateWeight);
    if (lateDepth < 1 || lateDepth > 10_000) throw new IllegalArgumentException("retrieval.late_depth must be in 1..10000, got " + lateDepth);
  }

  public RetrievalOptions withMode(SearchMode m) {
    return new RetrievalOptions(m, fusion, bm25Weight, denseWeight, candidates, autoMerge, lateWeight, lateDepth, lateIdf);
  }

  public RetrievalOptions withFusion(Fusion f) {
    return new RetrievalOptions(mode, f, bm25Weight, denseWeight, candidates, autoMerge, lateWeight, lateDepth, lateIdf);
  }

  public RetrievalOptions withCandidates(int n) {
    return new RetrievalOptions(mode, fusion, bm25Weight, denseWeight, n, autoMerge, lateWeight, lateDepth, lateIdf);
  }

  public RetrievalOptions withLateIdf(boolean on) {
    return new RetrievalOptions(mode, fusion, bm25Weight, denseWeight, candidates, autoMerge, lateWeight, lateDepth, on);
  }

  public RetrievalOptions withWeights(double bm25, double dense) {
    return new RetrievalOptions(mode, fusion, bm25, dense, candidates, autoMerge, lateWeight, lateDepth, lateIdf);
  }

  public RetrievalOptions withLateWeight(double w) {
    return new RetrievalOptions(mode, fusion, bm25Weight, denseWeight, candidates, autoMerge, w, lateDepth, lateIdf);
  }
}
